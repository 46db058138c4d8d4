// Progressive enhancement only: every page works without this file.
// It is a module (so only browsers that GOV.UK Frontend supports run it) and
// a file of its own, because the Content-Security-Policy allows no inline
// script. static.go rewrites the import to the hashed file name.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
