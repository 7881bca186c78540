/**
 * `@fovea/layers`: Layers as functions and Modules: Linear, Conv2d/3d, ConvTranspose2d, pooling, unpooling, upsampling, normalisation, dropout, residual blocks, ResNet/VGG builders, transfer learning.
 *
 * @packageDocumentation
 */
export {};
