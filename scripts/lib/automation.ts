import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../tests/browser/chromium';
import type { AutomationApi } from '../../src/app/automation';
import type { AnimationRequest, AnimationResult } from '../../src/app/automation-animation';
import type { AutomationRequest, AutomationResult } from '../../src/app/automation-photo';
import type { AutomationError, EngineOptions } from '../../src/app/automation-session';
import type {
  VideoAutomationRequest,
  VideoAutomationResult,
  VideoDriverProgress,
} from '../../src/app/automation-video';
import type { BackendChoice } from '../../src/shared/config';
import type { EngineInfo, Progress } from '../../src/workers/engine/api';
import { startPreview } from './preview';

export type {
  AutomationApi,
  AnimationRequest,
  AnimationResult,
  AutomationRequest,
  AutomationResult,
  AutomationError,
  VideoAutomationRequest,
  VideoAutomationResult,
  VideoDriverProgress,
};

export function isAutomationError(value: unknown): value is AutomationError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export class AutomationStartError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The built app's automation page in headless Chromium: one engine, reused for many swaps. */
export class AutomationSession {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly info: EngineInfo,
    private readonly stopServer: () => Promise<void>,
  ) {}

  /**
   * Starts the built app's automation page; `beforeInit` may set up routes before the engine loads
   * models; `threads` caps the WASM threads (the benchmarks compare one with all).
   */
  static async start(
    backend: BackendChoice = 'auto',
    beforeInit?: (page: Page) => Promise<void>,
    engine: EngineOptions = {},
  ): Promise<AutomationSession> {
    const { server, url } = await startPreview();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${url}/automation.html`);
      await page.waitForSelector('body[data-ready="true"]');
      await beforeInit?.(page);
      const info = await page.evaluate(([b, e]) => window.doppel.init(b, e), [backend, engine] as const);
      if (isAutomationError(info)) throw new AutomationStartError(info.error.code, info.error.message);
      return new AutomationSession(browser, page, info, () => server.close());
    } catch (error) {
      await browser.close();
      await server.close();
      throw error;
    }
  }

  swap(request: AutomationRequest): Promise<AutomationResult | AutomationError> {
    return this.page.evaluate((r) => window.doppel.swap(r), request);
  }

  private onProgress: ((progress: Progress) => void) | undefined;
  private progressExposed = false;

  /** Swaps an animated GIF; `onProgress` hears each frame done. */
  async swapAnimation(
    request: AnimationRequest,
    onProgress?: (progress: Progress) => void,
  ): Promise<AnimationResult | AutomationError> {
    this.onProgress = onProgress;
    if (!this.progressExposed) {
      await this.page.exposeFunction('doppelProgress', (progress: Progress) => this.onProgress?.(progress));
      this.progressExposed = true;
    }
    return this.page.evaluate((r) => window.doppel.swapAnimation(r), request);
  }

  private onVideoProgress: ((progress: VideoDriverProgress) => void) | undefined;
  private videoProgressExposed = false;

  /** Lets `onProgress` hear the video jobs' progress from here on (one listener at a time). */
  async listenToVideoProgress(onProgress?: (progress: VideoDriverProgress) => void): Promise<void> {
    this.onVideoProgress = onProgress;
    if (this.videoProgressExposed) return;
    await this.page.exposeFunction('doppelVideoProgress', (progress: VideoDriverProgress) =>
      this.onVideoProgress?.(progress),
    );
    this.videoProgressExposed = true;
  }

  /** Swaps a video (given by URL: the page fetches it) into OPFS; `onProgress` hears each frame done. */
  async swapVideo(
    request: VideoAutomationRequest & { video: { url: string } },
    onProgress?: (progress: VideoDriverProgress) => void,
  ): Promise<VideoAutomationResult | AutomationError> {
    await this.listenToVideoProgress(onProgress);
    return this.page.evaluate((r) => window.doppel.swapVideo(r), request);
  }

  analyze(b64: string) {
    return this.page.evaluate((b) => window.doppel.analyze(b), b64);
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.stopServer();
  }
}
