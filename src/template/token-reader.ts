// Go's parse.Tree token handling: a three-slot lookahead buffer over the lexer's items, where
// token[0] is always the most recently lexed item. Parse errors report that item's line, so the
// lookahead must match Go's exactly.

import { parseError } from './errors.ts'
import { describeItem, type Item, type ItemType } from './lexer.ts'

export class TokenReader {
  private readonly token: Item[] = []
  private peekCount = 0
  private cursor = 0
  /** Line of the action being parsed, 0 outside actions; used by lexer error messages. */
  protected actionLine = 0

  constructor(private readonly items: Item[]) {}

  private nextItem(): Item {
    const item = this.items[this.cursor] ?? this.items[this.items.length - 1]
    if (this.cursor < this.items.length) {
      this.cursor++
    }
    return item ?? { type: 'eof', pos: 0, val: '', line: 1 }
  }

  protected next(): Item {
    if (this.peekCount > 0) {
      this.peekCount--
    } else {
      this.token[0] = this.nextItem()
    }
    return this.tokenAt(this.peekCount)
  }

  protected backup(): void {
    this.peekCount++
  }

  protected backup2(t1: Item): void {
    this.token[1] = t1
    this.peekCount = 2
  }

  protected backup3(t2: Item, t1: Item): void {
    this.token[1] = t1
    this.token[2] = t2
    this.peekCount = 3
  }

  protected peek(): Item {
    if (this.peekCount > 0) {
      return this.tokenAt(this.peekCount - 1)
    }
    this.peekCount = 1
    this.token[0] = this.nextItem()
    return this.tokenAt(0)
  }

  protected nextNonSpace(): Item {
    let item = this.next()
    while (item.type === 'space') {
      item = this.next()
    }
    return item
  }

  protected peekNonSpace(): Item {
    const item = this.nextNonSpace()
    this.backup()
    return item
  }

  private tokenAt(i: number): Item {
    const item = this.token[i]
    if (item === undefined) {
      throw new Error(`template parser: empty lookahead slot ${i}`)
    }
    return item
  }

  protected errorf(reason: string): never {
    throw parseError(this.token[0]?.line ?? 1, reason)
  }

  protected expect(expected: ItemType, context: string): Item {
    const item = this.nextNonSpace()
    if (item.type !== expected) {
      this.unexpected(item, context)
    }
    return item
  }

  protected unexpected(item: Item, context: string): never {
    if (item.type === 'error') {
      let extra = ''
      if (this.actionLine !== 0 && this.actionLine !== item.line) {
        extra = ` in action started at interpolate:${this.actionLine}`
        if (item.val.endsWith(' action')) {
          // Avoids "unclosed action in action started at ...".
          extra = extra.slice(' in action'.length)
        }
      }
      this.errorf(item.val + extra)
    }
    this.errorf(`unexpected ${describeItem(item)} in ${context}`)
  }
}
