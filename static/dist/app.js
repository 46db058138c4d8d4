// Progressive enhancement only: every page works without this file.
// It is a module (so only browsers that GOV.UK Frontend supports run it) and
// a file of its own, because the Content-Security-Policy allows no inline
// script. static.go rewrites the import to the hashed file name.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// A follow-up question beneath a radio (data-app-shown-by names the radios,
// data-app-shown-value the answer it follows) is hidden until that answer
// is chosen, and its answer cleared when hidden, so a question that does
// not apply is neither asked nor sent. Without scripts it stays in view.
document.querySelectorAll('[data-app-shown-by]').forEach((box) => {
  const radios = Array.from(document.querySelectorAll('input[type=radio][name="' + box.dataset.appShownBy + '"]'))
  const update = () => {
    box.hidden = !radios.some((r) => r.checked && r.value === box.dataset.appShownValue)
    if (box.hidden) box.querySelectorAll('input[type=radio]').forEach((r) => { r.checked = false })
  }
  radios.forEach((r) => r.addEventListener('change', update))
  update()
})

// The timeout warning (the GOV.UK pattern): a modal dialog two minutes
// before the idle session ends, with "Stay signed in". When the time runs
// out the page stays as it is, so nothing typed is lost: the next save asks
// the person to sign in again and keeps what they typed.
function timeoutWarning (dialog) {
  const warn = Number(dialog.dataset.warn) * 1000
  const countdown = dialog.querySelector('.app-timeout__countdown')
  const live = dialog.querySelector('.app-timeout__live')
  const stay = dialog.querySelector('.app-timeout__stay')
  const close = dialog.querySelector('.app-timeout__close')
  const ended = dialog.querySelector('.app-timeout__ended')
  const text = dialog.querySelector('#app-timeout-text')
  let endsAt = Date.now() + Number(dialog.dataset.seconds) * 1000
  let timer = null
  let lastSpoken = ''

  const words = (ms) => {
    const s = Math.max(0, Math.ceil(ms / 1000))
    if (s > 60) {
      const m = Math.ceil(s / 60)
      return m + ' minutes'
    }
    if (s === 60) return '1 minute'
    return s + (s === 1 ? ' second' : ' seconds')
  }
  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(tick, Math.max(0, endsAt - warn - Date.now()))
  }
  const tick = () => {
    const left = endsAt - Date.now()
    if (left <= 0) {
      text.hidden = true
      stay.hidden = true
      ended.hidden = false
      close.hidden = false
      live.textContent = ended.textContent
      return
    }
    if (!dialog.open) dialog.showModal()
    countdown.textContent = words(left)
    // Screen readers hear the time at each whole minute and at 30 seconds,
    // not every second.
    const spoken = left > 60000 ? words(left) : (left > 30000 ? '1 minute' : (left > 20000 ? '30 seconds' : lastSpoken))
    if (spoken !== lastSpoken) {
      live.textContent = 'You will be signed out in ' + spoken + '.'
      lastSpoken = spoken
    }
    timer = setTimeout(tick, 1000)
  }
  stay.addEventListener('click', async () => {
    try {
      const r = await fetch('/session/keep-alive', { credentials: 'same-origin', redirect: 'manual' })
      if (r.status === 204) {
        // The session now runs the full idle limit from this request; a
        // minute less allows for clocks and the time the request took.
        endsAt = Date.now() + (Number(dialog.dataset.idleMinutes) - 1) * 60000
        dialog.close()
        lastSpoken = ''
        schedule()
        return
      }
    } catch (e) { /* offline: the countdown goes on */ }
    endsAt = Date.now()
    tick()
  })
  close.addEventListener('click', () => dialog.close())
  dialog.addEventListener('cancel', (e) => {
    // Escape means "stay signed in", as in the GOV.UK pattern.
    if (!stay.hidden) {
      e.preventDefault()
      stay.click()
    }
  })
  schedule()
}

const dialog = document.getElementById('app-timeout')
if (dialog && typeof dialog.showModal === 'function') {
  timeoutWarning(dialog)
}

// Batch progress: while the batch runs, fetch the page again every few
// seconds and put its progress in place, announcing only each tenth done
// and the end in a polite live region. Without JavaScript the page has a
// Refresh link and never reloads itself.
function batchProgress (box, live) {
  let lastTenth = -1
  const poll = async () => {
    let doc
    try {
      const r = await fetch(location.pathname, { credentials: 'same-origin' })
      if (!r.ok) return
      doc = new DOMParser().parseFromString(await r.text(), 'text/html')
    } catch (e) {
      setTimeout(poll, 5000)
      return
    }
    const next = doc.getElementById('batch-status')
    if (!next) return
    box.innerHTML = next.innerHTML
    box.dataset.running = next.dataset.running
    const bar = box.querySelector('progress')
    if (next.dataset.running === 'true') {
      if (bar) {
        const tenth = Math.floor(10 * Number(bar.value) / Math.max(1, Number(bar.max)))
        if (tenth !== lastTenth) {
          lastTenth = tenth
          live.textContent = box.querySelector('.app-batch__summary').textContent
        }
      }
      setTimeout(poll, 3000)
    } else {
      live.textContent = (box.querySelector('.govuk-panel__title, .govuk-error-summary__title') || box).textContent.trim()
    }
  }
  if (box.dataset.running === 'true') setTimeout(poll, 3000)
}

const batch = document.getElementById('batch-status')
if (batch) batchProgress(batch, document.getElementById('batch-live'))
