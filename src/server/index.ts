export { type AppOptions, createApp, type PrunnerApp } from './app.ts'
export { type JobJson, type TaskJson, toJobJson, toTaskJson } from './job-json.ts'
export { stringifyJson } from './json.ts'
export { type HttpServer, listen } from './listen.ts'
