import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import { dilateFilter, runKernel, tuple, undilateFilter } from './_util.js';

/**
 * Convolution gradients with dilation. tfjs-core 4.22's gradients of
 * Conv2D, DepthwiseConv2dNative and Conv3D assert `dilations == 1` (the
 * backprop kernels have no dilation attribute, or ignore it on some
 * backends). A convolution with dilation `d` is the convolution with the
 * dilated filter (zeros between the taps, size `(k - 1) d + 1`) and the same
 * padding, so both gradients are the undilated backprops with that filter;
 * the filter gradient keeps every `d`-th tap. Without dilation they are
 * exactly tfjs's gradients.
 */

interface ConvAttrs {
  strides: number | number[];
  pad: unknown;
  dilations?: number | number[] | null;
  dataFormat?: string;
  dimRoundingMode?: string;
}

/** Conv2D: `x` `[N, H, W, Cin]` (or NCHW), filter `[kH, kW, Cin, Cout]`. */
export const conv2dGradConfig: GradConfig = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dilations, dataFormat, dimRoundingMode } = attrs as unknown as ConvAttrs;
    const d = tuple(dilations, 2);
    const common = { strides, pad, dataFormat, dimRoundingMode };
    return {
      x: () => runKernel('Conv2DBackpropInput', { dy: dy as tf.Tensor, filter: dilateFilter(filter, d) }, { ...common, inputShape: x.shape }),
      filter: () => {
        const shape = dilateFilter(filter, d).shape;
        return undilateFilter(runKernel('Conv2DBackpropFilter', { x, dy: dy as tf.Tensor }, { ...common, filterShape: shape }), d);
      },
    };
  },
};

/** DepthwiseConv2dNative: `x` `[N, H, W, C]`, filter `[kH, kW, C, multiplier]`. */
export const depthwiseConv2dGradConfig: GradConfig = {
  kernelName: 'DepthwiseConv2dNative',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as ConvAttrs;
    const d = tuple(dilations, 2);
    const common = { strides, pad, dimRoundingMode, dilations: [1, 1] };
    return {
      x: () => runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dy as tf.Tensor, filter: dilateFilter(filter, d) }, { ...common, inputShape: x.shape }),
      filter: () => {
        const shape = dilateFilter(filter, d).shape;
        return undilateFilter(runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: dy as tf.Tensor }, { ...common, filterShape: shape }), d);
      },
    };
  },
};

/** Conv3D: `x` `[N, D, H, W, Cin]`, filter `[kD, kH, kW, Cin, Cout]`. */
export const conv3dGradConfig: GradConfig = {
  kernelName: 'Conv3D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x, filter] = saved as [tf.Tensor5D, tf.Tensor5D];
    const { strides, pad, dilations } = attrs as unknown as ConvAttrs;
    const d = tuple(dilations, 3);
    return {
      x: () => runKernel('Conv3DBackpropInputV2', { dy: dy as tf.Tensor, filter: dilateFilter(filter, d) }, { strides, pad, inputShape: x.shape }),
      filter: () => {
        const shape = dilateFilter(filter, d).shape;
        return undilateFilter(runKernel('Conv3DBackpropFilterV2', { x, dy: dy as tf.Tensor }, { strides, pad, filterShape: shape }), d);
      },
    };
  },
};

/**
 * Conv3DBackpropInputV2 (the kernel of `tf.conv3dTranspose`), which tfjs
 * 4.22 cannot differentiate: it is the adjoint of `conv3d` in its input, so
 * the gradient for `dy` is a `conv3d` of the incoming gradient with the same
 * filter, and the filter's is Conv3DBackpropFilterV2 of (incoming gradient,
 * dy) — the 3-D version of tfjs's Conv2DBackpropInput gradient.
 */
export const conv3dTransposeGradConfig: GradConfig = {
  kernelName: 'Conv3DBackpropInputV2',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx, saved, attrs: NamedAttrMap) => {
    const [dy, filter] = saved as [tf.Tensor5D, tf.Tensor5D];
    const { strides, pad } = attrs as unknown as { strides: [number, number, number] | number; pad: 'valid' | 'same' };
    return {
      dy: () => tf.conv3d(ddx as tf.Tensor5D, filter, strides, pad),
      filter: () => runKernel('Conv3DBackpropFilterV2', { x: ddx as tf.Tensor, dy }, { strides, pad, filterShape: filter.shape }),
    };
  },
};
