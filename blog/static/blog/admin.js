/* Blog admin: preview the Markdown body without saving, and insert uploaded images. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpPreview(textarea) {
    var form = textarea.form;
    var url = textarea.getAttribute("data-preview-url");
    var bar = document.createElement("div");
    bar.className = "blog-preview-bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = textarea.getAttribute("data-preview-label") || "Preview";
    var panel = document.createElement("div");
    panel.className = "blog-preview";
    panel.hidden = true;
    bar.appendChild(button);
    textarea.parentNode.insertBefore(bar, textarea.nextSibling);
    bar.parentNode.insertBefore(panel, bar.nextSibling);
    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("body", textarea.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form) },
      })
        .then(function (response) {
          // 400: the server's message (text too long) is shown as it is.
          if (!response.ok && response.status !== 400) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) {
          // The server sanitised this HTML with the site's allow-list.
          panel.innerHTML = html;
          panel.hidden = false;
        })
        .catch(function (error) {
          panel.textContent = String(error);
          panel.hidden = false;
        });
    });
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    var insert = (before && !before.endsWith("\n") ? "\n\n" : "") + text + "\n\n";
    textarea.value = before + insert + after;
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = before.length + insert.length;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var textarea = document.querySelector("textarea.blog-body");
    if (!textarea) { return; }
    setUpPreview(textarea);
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target && target.classList && target.classList.contains("blog-insert-image")) {
        insertAtCursor(textarea, target.getAttribute("data-markdown"));
      }
    });
  });
})();
