import type { GalleryPage } from '../types.js';
import { attentionMapsPage } from './attention-maps.js';
import { detectShapesPage } from './detect-shapes.js';
import { digitsTrainPage } from './digits-train.js';
import { drawDigitPage } from './draw-digit.js';
import { meshFitPage } from './mesh-fit.js';
import { vaeSlidersPage } from './vae-sliders.js';
import { cganPage } from './cgan.js';

/** The gallery's pages, in navigation order. */
export const pages: GalleryPage[] = [digitsTrainPage, detectShapesPage, drawDigitPage, meshFitPage, vaeSlidersPage, cganPage, attentionMapsPage];
