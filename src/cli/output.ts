// Writes that resolve once the text has been handed to the OS, so that main.ts can call
// process.exit right after without cutting off output to a pipe.

export function writeStdout(text: string): Promise<void> {
  return writeTo(process.stdout, text)
}

export function writeStderr(text: string): Promise<void> {
  return writeTo(process.stderr, text)
}

function writeTo(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (error) {
        reject(error)
      } else {
        resolve()
      }
    })
  })
}
