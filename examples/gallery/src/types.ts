import type { BackendInfo } from '@fovea/core';

/** What every page gets. */
export interface PageContext {
  /** The backend initBackend() chose. */
  backend: BackendInfo;
  /** Models other pages trained in this session (e.g. the digits CNN for the drawing page). */
  shared: Map<string, unknown>;
}

/** A running page. */
export interface PageHandle {
  /** Runs the demo for a few steps (the browser tests call it); resolves with a one-line summary. */
  demo(steps: number): Promise<string>;
  /** Stops work and releases tensors and parameters. */
  dispose(): void;
}

/** One page of the gallery. */
export interface GalleryPage {
  id: string;
  title: string;
  /** The package it shows. */
  pkg: string;
  mount(root: HTMLElement, ctx: PageContext): Promise<PageHandle>;
}
