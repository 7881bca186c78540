import type { GalleryPage } from '../types.js';
import { digitsTrainPage } from './digits-train.js';
import { drawDigitPage } from './draw-digit.js';

/** The gallery's pages, in navigation order. */
export const pages: GalleryPage[] = [digitsTrainPage, drawDigitPage];
