// Survey questionnaires: a question that depends on an answer appears as soon as that answer is
// given and disappears when it is taken back. A hidden question's inputs are disabled, so nothing
// of it is sent; the server draws the same state and checks the same conditions. Without
// JavaScript the "Show the questions that apply" button re-draws the form instead (and is hidden
// here, with its explanation, as it is not needed).
for (const form of document.querySelectorAll("form[data-survey-form]")) {
  const conditional = [...form.querySelectorAll("[data-condition-on]")];
  // Screen readers hear that a question appeared or went away (the change is not where they are).
  const announcer = form.querySelector("[data-survey-announce]");

  const holds = (question) => {
    const chosen = form.querySelectorAll(`input[name="${question.dataset.conditionOn}"]:checked`);
    return [...chosen].some((input) => !input.disabled && input.value === question.dataset.conditionOption);
  };

  const update = (announce) => {
    let shown = 0;
    let hidden = 0;
    // In the questionnaire's order: a condition reads an earlier question, already updated.
    for (const question of conditional) {
      const show = holds(question);
      if (show && question.hidden) shown += 1;
      if (!show && !question.hidden) hidden += 1;
      question.hidden = !show;
      for (const input of question.querySelectorAll("input, select, textarea")) {
        input.disabled = !show;
      }
    }
    for (const section of form.querySelectorAll("[data-survey-section]")) {
      section.hidden = !section.querySelector("[data-question]:not([hidden])");
    }
    if (announce && announcer && (shown || hidden)) {
      announcer.textContent = shown ? announcer.dataset.shown : announcer.dataset.hidden;
    }
  };

  for (const element of form.querySelectorAll("[data-survey-nojs]")) {
    element.hidden = true;
  }
  form.addEventListener("change", () => update(true));
  update(false); // the browser may have restored other answers (back button)
}
