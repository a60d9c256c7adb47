// Reads a V8 .cpuprofile (from node --cpu-prof) and lists where the time went: the functions with the
// most self time, with bundle positions mapped back to the sources through the bundle's source map.

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './children.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  name: string;
  /** file:line in the sources when a source map knows it, else in the running file */
  where: string;
  /** where it lives: the API's sources, a package, or node itself */
  area: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: HotFunction[];
  areas: { area: string; selfMs: number; share: number }[];
}

/** Self time per function, largest first; idle and garbage collection are listed like functions. */
export function summariseProfile(path: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; as in DevTools, a sample stands for the time until the next one.
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => {
    at += delta;
    return at;
  });
  profile.samples.forEach((id, i) => {
    const until = times[i + 1] ?? profile.endTime;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, until - (times[i] as number)));
  });
  const sourceMaps = new SourceMaps();
  const byFunction = new Map<string, HotFunction>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = (nodes.get(id) as ProfileNode).callFrame;
    totalUs += us;
    const located = sourceMaps.locate(frame.url, frame.lineNumber, frame.columnNumber);
    const name = frame.functionName || (frame.url ? '(anonymous)' : '(native)');
    const key = `${name} ${located.where}`;
    const entry = byFunction.get(key) ?? { name, where: located.where, area: located.area, selfMs: 0, share: 0 };
    entry.selfMs += us / 1000;
    byFunction.set(key, entry);
    byArea.set(located.area, (byArea.get(located.area) ?? 0) + us / 1000);
  }
  const totalMs = totalUs / 1000;
  const functions = [...byFunction.values()]
    .map((entry) => ({ ...entry, share: entry.selfMs / totalMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
  const areas = [...byArea.entries()]
    .map(([area, selfMs]) => ({ area, selfMs, share: selfMs / totalMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, functions, areas };
}

export function formatProfile(summary: ProfileSummary, top = 20): string {
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
  return [
    `total ${(summary.totalMs / 1000).toFixed(2)} s of samples`,
    '',
    'self time by area:',
    ...summary.areas.slice(0, 12).map((area) => `  ${percent(area.share)}  ${area.area}`),
    '',
    `top ${top} functions by self time:`,
    ...summary.functions
      .slice(0, top)
      .map((fn) => `  ${percent(fn.share)}  ${fn.selfMs.toFixed(0).padStart(6)} ms  ${fn.name}  ${fn.where}`),
  ].join('\n');
}

/** Source maps of the files in the profile, loaded once each (the API's bundle ships server.js.map). */
class SourceMaps {
  private readonly maps = new Map<string, SourceMap | null>();

  locate(url: string, line: number, column: number): { where: string; area: string } {
    if (!url) return { where: '', area: '(V8: idle, GC, native)' };
    if (url.startsWith('node:')) return { where: url, area: 'node internals' };
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    const original = this.mapFor(file)?.findEntry(line, column);
    if (original && 'originalSource' in original && original.originalSource) {
      const source = original.originalSource.startsWith('file:')
        ? fileURLToPath(original.originalSource)
        : resolve(dirname(file), original.originalSource);
      const shown = shorten(source);
      return { where: `${shown}:${original.originalLine + 1}`, area: areaOf(shown) };
    }
    const shown = shorten(file);
    return { where: `${shown}:${line + 1}`, area: areaOf(shown) };
  }

  private mapFor(file: string): SourceMap | null {
    if (!this.maps.has(file)) {
      const mapFile = `${file}.map`;
      this.maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
    }
    return this.maps.get(file) ?? null;
  }
}

function shorten(path: string): string {
  const inRepo = path.startsWith(REPO_ROOT) ? relative(REPO_ROOT, path) : path;
  return inRepo.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^.*node_modules\//, '');
}

function areaOf(path: string): string {
  if (/^(apps|packages)\//.test(path)) return path.split('/').slice(0, 4).join('/');
  const scoped = path.startsWith('@') ? path.split('/').slice(0, 2) : path.split('/').slice(0, 1);
  return `package ${scoped.join('/')}`;
}
