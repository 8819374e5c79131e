/** The newest `capacity` items; older ones are overwritten. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[]
  #next = 0
  #size = 0

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(capacity)
  }

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    this.#items[this.#next] = item
    this.#next = (this.#next + 1) % this.capacity
    this.#size = Math.min(this.#size + 1, this.capacity)
  }

  /** Oldest first. */
  toArray(): T[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity
    const items: T[] = []
    for (let i = 0; i < this.#size; i++) {
      items.push(this.#items[(start + i) % this.capacity] as T)
    }
    return items
  }
}
