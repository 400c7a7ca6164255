import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Debian's Chromium; tests never download a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium off the closed network and give it a software (SwiftShader) WebGPU adapter. */
export const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-domain-reliability',
];

/** Flags for Chromium's fake camera, granted without a prompt, playing a Y4M file in a loop. */
export function fakeCameraArgs(y4m: string): string[] {
  return [
    ...chromiumArgs,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`,
  ];
}

export function launchOptions(extra: LaunchOptions = {}): LaunchOptions {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}; install Debian's chromium package (apt-get install -y chromium).`,
    );
  }
  return { executablePath: chromiumPath, headless: true, args: chromiumArgs, ...extra };
}

export function launchChromium(extra: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions(extra));
}

/**
 * A blank page on http://localhost/ (answered by the test itself, never the network): a secure
 * context, which WebCodecs and OPFS need, for fixtures made and read in the browser.
 */
export async function openLocalhostPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route('http://localhost/', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<html></html>' }),
  );
  await page.goto('http://localhost/');
  return page;
}
