// The prunner web UI: plain DOM code, no framework, no file from outside prunner.
// Every value from the server is inserted as text, never as HTML.

const view = document.getElementById('view')
const nav = document.getElementById('nav')
const liveDot = document.getElementById('live')
const _FINISHED_TASK = new Set(['done', 'error', 'canceled', 'skipped'])

let teardown = []
let events
const eventListeners = new Set()

// ---- helpers ---------------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag)
  applyAttrs(element, attrs)
  element.append(...children.flat().filter((child) => child !== null && child !== undefined))
  return element
}

function s(tag, attrs = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag)
  applyAttrs(element, attrs)
  element.append(...children.flat().filter(Boolean))
  return element
}

function applyAttrs(element, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue
    }
    if (key.startsWith('on')) {
      element.addEventListener(key.slice(2), value)
    } else if (key === 'text') {
      element.textContent = value
    } else {
      element.setAttribute(key, value === true ? '' : String(value))
    }
  }
}

function badge(status) {
  return h('span', { class: `badge s-${status}`, 'data-status': status, text: status })
}

function jobStatus(job) {
  if (job.canceled) {
    return 'canceled'
  }
  if (job.completed) {
    return job.errored ? 'error' : 'done'
  }
  return job.start === null ? 'queued' : 'running'
}

function isJobFinished(job) {
  return job.completed || (job.canceled && job.start === null)
}

function formatTime(text) {
  return text ? new Date(text).toLocaleString() : '–'
}

function formatDuration(start, end) {
  if (!start) {
    return '–'
  }
  const seconds = Math.max(
    0,
    Math.round(((end ? Date.parse(end) : Date.now()) - Date.parse(start)) / 1000),
  )
  const m = Math.floor(seconds / 60)
  return m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`
}

class Unauthorized extends Error {}

async function api(path, init = {}) {
  const response = await fetch(path, { credentials: 'same-origin', ...init })
  if (response.status === 401) {
    throw new Unauthorized(await response.text())
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`
    try {
      message = (await response.json()).error ?? message
    } catch {}
    throw new Error(message)
  }
  return response
}

async function getJson(path, init) {
  return (await api(path, init)).json()
}

function onCleanup(fn) {
  teardown.push(fn)
}

/** Calls `fn` at most once per `ms`, trailing. */
function debounce(fn, ms) {
  let timer
  const wrapped = () => {
    clearTimeout(timer)
    timer = setTimeout(fn, ms)
  }
  onCleanup(() => clearTimeout(timer))
  return wrapped
}

// ---- live events -----------------------------------------------------------------------------

function connectEvents() {
  if (events) {
    return
  }
  events = new EventSource('/events')
  events.onopen = () => liveDot.classList.add('on')
  events.onerror = () => liveDot.classList.remove('on')
  const types = [
    'job.created',
    'job.queued',
    'job.started',
    'task.started',
    'task.finished',
    'job.finished',
    'reset',
  ]
  for (const type of types) {
    events.addEventListener(type, (message) => {
      const data = JSON.parse(message.data)
      for (const listener of [...eventListeners]) {
        listener(type, data)
      }
    })
  }
}

function disconnectEvents() {
  events?.close()
  events = undefined
  liveDot.classList.remove('on')
}

function onEvent(listener) {
  eventListeners.add(listener)
  onCleanup(() => eventListeners.delete(listener))
}

// ---- routing ---------------------------------------------------------------------------------

async function route() {
  for (const fn of teardown) {
    fn()
  }
  teardown = []
  const hash = location.hash.slice(1) || '/pipelines'
  const [path, queryText = ''] = hash.split('?')
  const query = new URLSearchParams(queryText)
  for (const link of nav.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', path.startsWith(`/${link.dataset.nav}`))
  }
  try {
    if (path.startsWith('/job/')) {
      await showJob(decodeURIComponent(path.slice(5)))
    } else if (path === '/jobs') {
      await showJobs(query)
    } else {
      await showPipelines()
    }
    nav.hidden = false
    connectEvents()
  } catch (error) {
    if (error instanceof Unauthorized) {
      showSignIn(error.message)
    } else {
      view.replaceChildren(h('p', { class: 'error-text', text: String(error.message ?? error) }))
    }
  }
}

function showSignIn(reason) {
  nav.hidden = true
  disconnectEvents()
  const token = h('textarea', {
    id: 'token',
    placeholder: 'Bearer eyJhbGciOi…',
    autocomplete: 'off',
    spellcheck: 'false',
  })
  const message = h('p', { class: 'error-text', id: 'sign-in-error' })
  const submit = async (event) => {
    event.preventDefault()
    message.textContent = ''
    const response = await fetch('/ui/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: token.value }),
    })
    if (response.ok) {
      await route()
    } else {
      message.textContent = `Sign-in failed: ${(await response.text()).trim()}`
    }
  }
  view.replaceChildren(
    h('h1', { text: 'Sign in' }),
    h(
      'form',
      { class: 'card', id: 'sign-in', onsubmit: submit },
      h('label', { for: 'token', text: 'Token (run `prunner debug` to print one)' }),
      token,
      h('div', { class: 'row' }, h('button', { type: 'submit', text: 'Sign in' })),
      message,
      reason && reason.trim() !== 'no token found'
        ? h('p', { class: 'muted', text: `Session: ${reason.trim()}` })
        : null,
    ),
  )
  token.focus()
}

document.getElementById('sign-out').addEventListener('click', async () => {
  await fetch('/ui/logout', { method: 'POST' })
  showSignIn()
})

// ---- pipelines -------------------------------------------------------------------------------

async function showPipelines() {
  const { pipelines } = await getJson('/pipelines')
  const badges = new Map()
  const cards = pipelines.map((pipeline) => {
    const state = h('span', { class: 'row' })
    badges.set(pipeline.pipeline, state)
    renderPipelineState(state, pipeline)
    return h(
      'section',
      { class: 'card pipeline', 'data-pipeline': pipeline.pipeline },
      h('div', { class: 'row' }, h('h2', { class: 'grow', text: pipeline.pipeline }), state),
      startForm(pipeline.pipeline),
    )
  })
  view.replaceChildren(
    h('h1', { text: 'Pipelines' }),
    ...(cards.length > 0 ? cards : [h('p', { class: 'muted', text: 'No pipelines are defined.' })]),
  )
  const refresh = debounce(async () => {
    const latest = await getJson('/pipelines').catch(() => undefined)
    for (const pipeline of latest?.pipelines ?? []) {
      const state = badges.get(pipeline.pipeline)
      if (state) {
        renderPipelineState(state, pipeline)
      }
    }
  }, 200)
  onEvent(refresh)
}

function renderPipelineState(element, pipeline) {
  element.replaceChildren(
    pipeline.running ? badge('running') : h('span', { class: 'badge s-waiting', text: 'idle' }),
    h('span', {
      class: `badge ${pipeline.schedulable ? 's-done' : 's-canceled'}`,
      text: pipeline.schedulable ? 'schedulable' : 'not schedulable',
    }),
    h('a', { href: `#/jobs?pipeline=${encodeURIComponent(pipeline.pipeline)}`, text: 'jobs' }),
  )
}

function startForm(name) {
  const id = `p-${name.replace(/[^a-zA-Z0-9_-]/g, '_')}`
  const variables = h('textarea', {
    id: `${id}-vars`,
    name: 'variables',
    placeholder: '{"version": "1.2.3"}',
  })
  const partition = h('input', {
    id: `${id}-partition`,
    name: 'partition',
    placeholder: 'optional',
  })
  const message = h('p', { class: 'error-text' })
  const submit = async (event) => {
    event.preventDefault()
    message.textContent = ''
    let parsed = {}
    if (variables.value.trim() !== '') {
      try {
        parsed = JSON.parse(variables.value)
      } catch (error) {
        message.textContent = `Variables are not valid JSON: ${error.message}`
        return
      }
    }
    try {
      const body = { pipeline: name, variables: parsed, queuePartition: partition.value }
      const { jobId } = await getJson('/pipelines/schedule', {
        method: 'POST',
        body: JSON.stringify(body),
      })
      location.hash = `#/job/${jobId}`
    } catch (error) {
      if (error instanceof Unauthorized) {
        return showSignIn(error.message)
      }
      message.textContent = error.message
    }
  }
  return h(
    'form',
    { class: 'start', onsubmit: submit },
    h('label', { for: variables.id, text: 'Variables (JSON object)' }),
    variables,
    h(
      'div',
      { class: 'row' },
      h(
        'div',
        { class: 'grow' },
        h('label', { for: partition.id, text: 'Queue partition' }),
        partition,
      ),
      h('button', { type: 'submit', text: 'Start' }),
    ),
    message,
  )
}

// ---- jobs ------------------------------------------------------------------------------------

async function showJobs(query) {
  const { pipelines } = await getJson('/pipelines')
  const pipelineSelect = h(
    'select',
    { id: 'filter-pipeline' },
    h('option', { value: '', text: 'all pipelines' }),
    pipelines.map((p) =>
      h('option', {
        value: p.pipeline,
        text: p.pipeline,
        selected: p.pipeline === query.get('pipeline'),
      }),
    ),
  )
  const statusSelect = h(
    'select',
    { id: 'filter-status' },
    ['', 'queued', 'running', 'done', 'error', 'canceled'].map((status) =>
      h('option', {
        value: status,
        text: status || 'any status',
        selected: status === (query.get('status') ?? ''),
      }),
    ),
  )
  const applyFilters = () => {
    const next = new URLSearchParams()
    if (pipelineSelect.value) {
      next.set('pipeline', pipelineSelect.value)
    }
    if (statusSelect.value) {
      next.set('status', statusSelect.value)
    }
    location.hash = `#/jobs?${next}`
  }
  pipelineSelect.addEventListener('change', applyFilters)
  statusSelect.addEventListener('change', applyFilters)

  const body = h('tbody')
  const more = h('button', { type: 'button', class: 'secondary', text: 'Load more', hidden: true })
  let loaded = 0
  let next = null
  const load = async (reset) => {
    const params = new URLSearchParams(query)
    params.set('limit', String(reset ? Math.max(loaded, 50) : 50))
    if (!reset && next) {
      params.set('before', next)
    }
    const page = await getJson(`/jobs?${params}`)
    if (reset) {
      body.replaceChildren()
      loaded = 0
    }
    body.append(...page.jobs.map(jobRow))
    loaded += page.jobs.length
    next = page.next
    more.hidden = next === null
  }
  more.addEventListener('click', () => load(false))
  await load(true)
  view.replaceChildren(
    h('h1', { text: 'Jobs' }),
    h(
      'div',
      { class: 'filters' },
      h('div', {}, h('label', { for: 'filter-pipeline', text: 'Pipeline' }), pipelineSelect),
      h('div', {}, h('label', { for: 'filter-status', text: 'Status' }), statusSelect),
    ),
    h(
      'table',
      { class: 'jobs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Created', 'Pipeline', 'Status', 'Duration', 'User'].map((t) => h('th', { text: t })),
        ),
      ),
      body,
    ),
    h('p', {}, more),
  )
  onEvent(debounce(() => load(true).catch(() => {}), 300))
}

function jobRow(job) {
  return h(
    'tr',
    { 'data-job': job.id },
    h('td', {}, h('a', { href: `#/job/${job.id}`, text: formatTime(job.created) })),
    h('td', { text: job.pipeline }),
    h('td', {}, badge(jobStatus(job))),
    h('td', { text: formatDuration(job.start, job.end) }),
    h('td', { text: job.user || '–' }),
  )
}

// ---- one job ---------------------------------------------------------------------------------

async function showJob(id) {
  let job = await getJson(`/job/detail?id=${encodeURIComponent(id)}`)
  let selected = (job.tasks.find((t) => t.status === 'running') ?? job.tasks[0])?.name
  const header = h('div')
  const graph = h('div', { class: 'graph' })
  const taskList = h('ul', { class: 'tasks' })
  const logTitle = h('h2')
  const stdout = h('pre', { class: 'log stdout', id: 'log-stdout' })
  const stderr = h('pre', { class: 'log stderr', id: 'log-stderr' })
  let followers = []

  const follow = () => {
    for (const controller of followers) {
      controller.abort()
    }
    stdout.textContent = ''
    stderr.textContent = ''
    logTitle.textContent = selected ? `Logs of ${selected}` : 'Logs'
    if (!selected) {
      return
    }
    followers = [
      followLog(job.id, selected, 'stdout', stdout),
      followLog(job.id, selected, 'stderr', stderr),
    ]
  }
  const select = (name) => {
    selected = name
    render()
    follow()
  }
  const render = () => {
    renderJobHeader(header, job)
    graph.replaceChildren(taskGraph(job, selected, select))
    taskList.replaceChildren(
      ...job.tasks.map((task) => taskItem(task, task.name === selected, select)),
    )
  }

  render()
  view.replaceChildren(
    header,
    h('h2', { text: 'Tasks' }),
    graph,
    taskList,
    logTitle,
    h(
      'div',
      { class: 'logs' },
      h('div', {}, h('label', { text: 'stdout' }), stdout),
      h('div', {}, h('label', { text: 'stderr' }), stderr),
    ),
  )
  follow()
  onCleanup(() => {
    for (const controller of followers) {
      controller.abort()
    }
  })

  const refresh = debounce(async () => {
    const latest = await getJson(`/job/detail?id=${encodeURIComponent(job.id)}`).catch(
      () => undefined,
    )
    if (!latest) {
      return
    }
    const wasWaiting = job.tasks.find((t) => t.name === selected)?.status === 'waiting'
    job = latest
    render()
    // A log is followed from the moment its task starts; restart a follower that gave up early.
    if (wasWaiting && job.tasks.find((t) => t.name === selected)?.status !== 'waiting') {
      follow()
    }
  }, 100)
  onEvent((type, data) => {
    if (type === 'reset' || data.jobId === job.id) {
      refresh()
    }
  })
  const ticker = setInterval(() => {
    if (!isJobFinished(job)) {
      render()
    }
  }, 1000)
  onCleanup(() => clearInterval(ticker))
}

function renderJobHeader(element, job) {
  const status = jobStatus(job)
  const cancel = h('button', {
    type: 'button',
    class: 'danger',
    id: 'cancel-job',
    text: 'Cancel job',
    disabled: isJobFinished(job) || job.canceled,
    onclick: async (event) => {
      event.target.disabled = true
      try {
        await api(`/job/cancel?id=${encodeURIComponent(job.id)}`, { method: 'POST' })
      } catch (error) {
        alert(error.message)
      }
    },
  })
  const facts = [
    ['Created', formatTime(job.created)],
    ['Started', formatTime(job.start)],
    ['Ended', formatTime(job.end)],
    ['Duration', formatDuration(job.start, job.end)],
    ['User', job.user || '–'],
  ]
  element.replaceChildren(
    ...[
      h(
        'div',
        { class: 'row' },
        h('h1', { class: 'grow', text: `${job.pipeline} · ${job.id.slice(0, 8)}` }),
        h('span', { id: 'job-status' }, badge(status)),
        cancel,
      ),
      h(
        'div',
        { class: 'card row' },
        facts.map(([label, value]) =>
          h('div', {}, h('label', { text: label }), h('span', { text: value })),
        ),
      ),
      job.lastError ? h('p', { class: 'error-text', id: 'job-error', text: job.lastError }) : null,
      job.variables
        ? h(
            'details',
            {},
            h('summary', { text: 'Variables' }),
            h('pre', { text: JSON.stringify(job.variables, null, 2) }),
          )
        : null,
    ].filter(Boolean),
  )
}

function taskItem(task, isSelected, select) {
  return h(
    'li',
    { 'data-task': task.name, class: isSelected ? 'selected' : '' },
    badge(task.status),
    h('strong', { class: 'grow', text: task.name }),
    h('span', { class: 'muted', text: formatDuration(task.start, task.end) }),
    task.error ? h('span', { class: 'error-text', text: task.error }) : null,
    h('button', {
      type: 'button',
      class: 'secondary',
      text: isSelected ? 'showing logs' : 'logs',
      disabled: isSelected,
      onclick: () => select(task.name),
    }),
  )
}

/** Tasks in columns by dependency depth, with an arrow from each dependency. */
function taskGraph(job, selected, select) {
  const W = 150
  const H = 36
  const GAP_X = 50
  const GAP_Y = 18
  const depth = new Map()
  const depthOf = (task, seen = new Set()) => {
    if (depth.has(task.name)) {
      return depth.get(task.name)
    }
    if (seen.has(task.name)) {
      return 0
    }
    seen.add(task.name)
    const deps = (task.dependsOn ?? [])
      .map((name) => job.tasks.find((t) => t.name === name))
      .filter(Boolean)
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => depthOf(dep, seen)))
    depth.set(task.name, value)
    return value
  }
  const rows = []
  const position = new Map()
  for (const task of job.tasks) {
    const column =
      task.name === 'on_error'
        ? Math.max(0, ...job.tasks.filter((t) => t.name !== 'on_error').map((t) => depthOf(t))) + 1
        : depthOf(task)
    const row = rows[column] ?? 0
    rows[column] = row + 1
    position.set(task.name, { x: 10 + column * (W + GAP_X), y: 10 + row * (H + GAP_Y) })
  }
  const width = 20 + rows.length * (W + GAP_X)
  const height = 20 + Math.max(1, ...rows.filter(Boolean)) * (H + GAP_Y)
  const edges = []
  for (const task of job.tasks) {
    for (const dep of task.dependsOn ?? []) {
      const from = position.get(dep)
      const to = position.get(task.name)
      if (!from || !to) {
        continue
      }
      const x1 = from.x + W
      const y1 = from.y + H / 2
      const x2 = to.x - 4
      const y2 = to.y + H / 2
      edges.push(
        s('path', {
          class: 'edge',
          'data-edge': `${dep}->${task.name}`,
          d: `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`,
        }),
      )
    }
  }
  const nodes = job.tasks.map((task) => {
    const { x, y } = position.get(task.name)
    const label = task.name.length > 18 ? `${task.name.slice(0, 17)}…` : task.name
    return s(
      'g',
      {
        class: `node s-${task.status}${task.name === selected ? ' selected' : ''}`,
        'data-node': task.name,
        'data-status': task.status,
        transform: `translate(${x},${y})`,
        onclick: () => select(task.name),
      },
      s('title', { text: `${task.name}: ${task.status}` }),
      s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: H / 2 + 4, text: `${statusMark(task.status)} ${label}` }),
    )
  })
  return s(
    'svg',
    { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'task graph' },
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9aa3b5' }),
      ),
    ),
    edges,
    nodes,
  )
}

function statusMark(status) {
  return (
    { waiting: '○', running: '◔', done: '✔', error: '✖', canceled: '⊘', skipped: '↷' }[status] ??
    '?'
  )
}

/** Streams a task log into `target` from where it is, until the task ends or `abort()`. */
function followLog(jobId, task, stream, target) {
  const controller = new AbortController()
  const run = async () => {
    let offset = 0
    const decoder = new TextDecoder()
    const params = new URLSearchParams({ id: jobId, task, stream, offset: String(offset) })
    const response = await fetch(`/job/logs/stream?${params}`, { signal: controller.signal })
    if (!response.ok || !response.body) {
      return
    }
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        break
      }
      offset += value.byteLength
      const atBottom = target.scrollTop + target.clientHeight >= target.scrollHeight - 4
      target.append(decoder.decode(value, { stream: true }))
      if (atBottom) {
        target.scrollTop = target.scrollHeight
      }
    }
    target.append(decoder.decode())
    target.dataset.ended = 'true'
  }
  run().catch(() => {})
  return controller
}

window.addEventListener('hashchange', route)
void route()
