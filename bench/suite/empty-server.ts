// The API-latency baseline: the least a Bun HTTP server can do. Compiled with the same flags as
// prunner so start-up and memory compare like for like. Usage: empty-server <host:port>.
const [host = '127.0.0.1', port = '0'] = (process.argv[2] ?? '').split(':')
const server = Bun.serve({ hostname: host, port: Number(port), fetch: () => new Response('{}') })
process.stderr.write(`listening on ${server.hostname}:${server.port}\n`)
process.on('SIGINT', () => {
  void server.stop(true).then(() => process.exit(0))
})
