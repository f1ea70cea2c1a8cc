/** Anything that listens, times or spawns returns one of these; owners call it on quit. */
export type Disposer = () => void | Promise<void>;

/** Collects disposers and runs them once, newest first, never throwing. */
export class DisposableStore {
  private readonly items: Disposer[] = [];
  private disposed = false;

  add<T extends Disposer>(d: T): T {
    if (this.disposed) void Promise.resolve().then(d);
    else this.items.push(d);
    return d;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.items.reverse()) {
      try {
        await d();
      } catch {
        // a failing disposer must not keep the others from running
      }
    }
  }
}
