/**
 * `@fovea/detection`: Object detection: box formats, IoU family and losses, NMS, anchors, box coder, matcher, RoIAlign/RoIPool, focal loss, detectors and segmentation.
 *
 * @packageDocumentation
 */
export {};
