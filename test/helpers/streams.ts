/** Reads a byte stream as text until `until` holds for the text so far, or the stream ends. */
export async function readTextUntil(
  reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> },
  until: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  while (!until(text)) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    text += decoder.decode(value, { stream: true })
  }
  return text
}
