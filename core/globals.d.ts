// The few host globals core/ relies on. Node, browsers and Web Workers all provide them; the
// core tsconfig has no DOM lib, so they are declared here rather than pulling DOM types in.
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare const performance: { now(): number };
