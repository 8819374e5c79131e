import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import {
  cleanupPrunners,
  type PrunnerProcess,
  REPO_ROOT,
  startPrunner,
} from '../helpers/prunner-process.ts'

// The few page globals the functions below use inside the browser: the tests' TypeScript has no
// DOM types, and the UI's Content-Security-Policy rightly refuses functions passed as strings.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null
  querySelectorAll(selector: string): { length: number }
  documentElement: { scrollWidth: number }
}

const CHROMIUM = [
  process.env.PRUNNER_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].find((path) => path !== undefined && path !== '' && existsSync(path))
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'ui')

const PIPELINES = `pipelines:
  release:
    tasks:
      build:
        script:
          - echo "building {{ .version }}"
      test:
        depends_on: [build]
        script:
          - for i in 1 2 3 4 5; do echo "check $i"; sleep 0.2; done
      publish:
        depends_on: [test]
        script:
          - echo "published {{ .version }}"
  slow:
    tasks:
      wait:
        script:
          - for i in $(seq 1 600); do echo "line $i"; sleep 0.1; done
`

if (CHROMIUM === undefined) {
  // Printed, not silent: the suite passes without a browser, and this says why nothing ran.
  process.stderr.write(
    'skipping the browser tests of the web UI: no chromium found (apt-get install -y chromium, or set PRUNNER_CHROMIUM)' +
      '\n',
  )
}

const describeBrowser = CHROMIUM === undefined ? describe.skip : describe

describeBrowser('web UI in headless Chromium', () => {
  let prunner: PrunnerProcess
  let browser: Browser
  let page: Page
  const url = (path: string) => `http://127.0.0.1:${prunner.port}${path}`

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    prunner = await startPrunner({ files: { 'pipelines.yml': PIPELINES } })
    const events = await prunner.request('GET', '/events')
    await events.body?.cancel()
    if (events.status !== 200) {
      throw new Error(
        `GET /events answered ${events.status}: src/cli/serve.ts must pass an EventHub to createApp and the Scheduler`,
      )
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox'],
    })
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  })

  afterAll(async () => {
    await browser?.close()
    await cleanupPrunners()
  })

  test('signs in with a pasted token and lists the pipelines', async () => {
    await page.goto(url('/ui/'))
    await page.locator('#sign-in').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') })
    await page.fill('#token', `Bearer ${prunner.token({ sub: 'browser' })}`)
    await page.click('#sign-in button[type=submit]')
    await page.locator('[data-pipeline="release"]').waitFor()
    await page.locator('#live.on').waitFor()
    expect(await page.locator('section.pipeline h2').allTextContents()).toEqual(['release', 'slow'])
    await page.screenshot({ path: join(SCREENSHOTS, 'pipelines.png'), fullPage: true })
  })

  test('starts a job with variables and watches its tasks finish live', async () => {
    const card = page.locator('[data-pipeline="release"]')
    await card.locator('textarea').fill('{"version": "1.2.3"}')
    await card.locator('button[type=submit]').click()
    await page.waitForURL(/#\/job\//)
    await page.locator('[data-node="build"]').waitFor()
    expect(
      await page
        .locator('[data-edge]')
        .evaluateAll((edges) => edges.map((e) => e.getAttribute('data-edge'))),
    ).toEqual(['build->test', 'test->publish'])
    // The page refetches the job only when an event arrives: a done state proves live updates.
    await page.locator('[data-node="publish"][data-status="done"]').waitFor({ timeout: 20_000 })
    await page.locator('#job-status [data-status="done"]').waitFor()
    await page.click('[data-task="publish"] button')
    await expectText(page, '#log-stdout', 'published 1.2.3')
    expect(await page.textContent('main')).not.toContain('null')
    await page.screenshot({ path: join(SCREENSHOTS, 'job-done.png'), fullPage: true })
  })

  test('follows a log that is still growing and cancels the running job', async () => {
    await page.goto(url('/ui/#/pipelines'))
    await page.locator('[data-pipeline="slow"] button[type=submit]').click()
    await page.waitForURL(/#\/job\//)
    await expectText(page, '#log-stdout', 'line 3\n')
    const early = (await page.textContent('#log-stdout')) ?? ''
    await expectText(page, '#log-stdout', `line ${lineCount(early) + 5}\n`)
    expect(await page.locator('[data-node="wait"]').getAttribute('data-status')).toBe('running')
    await page.screenshot({ path: join(SCREENSHOTS, 'job-running.png'), fullPage: true })

    await page.click('#cancel-job')
    await page.locator('#job-status [data-status="canceled"]').waitFor({ timeout: 10_000 })
    await page.locator('[data-node="wait"][data-status="canceled"]').waitFor()
    const jobId = page.url().split('#/job/')[1] ?? ''
    const detail = await prunner.json<{ canceled: boolean }>('GET', `/job/detail?id=${jobId}`)
    expect(detail.body.canceled).toBe(true)
  })

  test('lists jobs with filters', async () => {
    await page.goto(url('/ui/#/jobs'))
    await page.locator('tr[data-job]').nth(1).waitFor()
    expect(await page.locator('tr[data-job]').count()).toBe(2)
    await page.selectOption('#filter-status', 'canceled')
    await page.waitForURL(/status=canceled/)
    await page.waitForFunction(() => document.querySelectorAll('tr[data-job]').length === 1)
    expect(await page.locator('tr[data-job] td').nth(1).textContent()).toBe('slow')
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs.png'), fullPage: true })
  })

  test('fits a phone-sized screen without sideways scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true })
    await phone.context().addCookies(await page.context().cookies())
    for (const [name, hash] of [
      ['phone-pipelines', '#/pipelines'],
      ['phone-jobs', '#/jobs'],
    ] as const) {
      await phone.goto(url(`/ui/${hash}`))
      await phone.locator('main h1').waitFor()
      const width = await phone.evaluate(() => document.documentElement.scrollWidth)
      expect(width).toBeLessThanOrEqual(390)
      await phone.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
    }
    await phone.close()
  })
})

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([sel, wanted]) => (document.querySelector(sel)?.textContent ?? '').includes(wanted),
    [selector, text] as const,
    { timeout: 15_000 },
  )
}

function lineCount(text: string): number {
  return text.split('\n').filter((line) => line.startsWith('line ')).length
}
