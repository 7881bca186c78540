/**
 * `@fovea/attention`: Attention, multi-head attention, positional encodings, Transformer blocks, ViT, SE/CBAM/SK attention in CNNs, the recurrent attention model.
 *
 * @packageDocumentation
 */
export {};
