/**
 * `@fovea/generative`: Generative models: autoencoders, VAEs, GANs, PixelCNN/PixelRNN, VQ-VAE, image transformer, MADE/RealNVP, bits/dim.
 *
 * @packageDocumentation
 */
export {};
