// Starts GOV.UK Frontend's components (error summary focus, skip link, buttons...). The module's
// address comes from the page, so that it carries the static files' content hash.
const script = document.querySelector("script[data-govuk-frontend]");
if (script) {
  import(script.dataset.govukFrontend).then((govuk) => govuk.initAll());
}
