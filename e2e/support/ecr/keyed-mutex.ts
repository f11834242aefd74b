// One async lock per key (per repository here): the tag-exists check and the manifest write
// must be one atomic step, or two concurrent pushes of one immutable tag could both win.
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T>(key: string, critical: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const current = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => current)
    this.tails.set(key, tail)
    await previous
    try {
      return await critical()
    } finally {
      release()
      // Forget the key once nobody queues behind us, so the map does not grow forever.
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
