/**
 * `@fovea/metrics`: Evaluation metrics: classification, VOC and COCO mAP (pycocotools-exact, with a CLI), mIoU, panoptic quality, FID/IS, PSNR/SSIM.
 *
 * @packageDocumentation
 */
export {};
