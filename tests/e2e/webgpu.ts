import { chromiumLaunch } from './chromium';

/**
 * Chromium flags that give headless Chromium a WebGPU adapter with no GPU: Dawn on SwiftShader (Vulkan in
 * software). `--enable-unsafe-swiftshader` lets Dawn use the software adapter; `--use-angle=swiftshader` keeps
 * WebGL on SwiftShader too, so nothing looks for a GPU process driver that is not there.
 */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Launch options for specs that need WebGPU (only those specs: other specs keep the plain launch). */
export const webgpuLaunch = () => chromiumLaunch(WEBGPU_FLAGS);
