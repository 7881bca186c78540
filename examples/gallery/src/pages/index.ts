import type { GalleryPage } from '../types.js';
import { digitsTrainPage } from './digits-train.js';
import { drawDigitPage } from './draw-digit.js';
import { meshFitPage } from './mesh-fit.js';

/** The gallery's pages, in navigation order. */
export const pages: GalleryPage[] = [digitsTrainPage, drawDigitPage, meshFitPage];
