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

  // As Django's slugify(allow_unicode=True): Chinese titles keep their characters.
  function slugify(text) {
    return text.normalize("NFKC").toLowerCase()
      .replace(/[^\p{L}\p{N}_\s-]/gu, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, 140);
  }

  function setUpSlugSuggestion() {
    var title = document.querySelector("input[name=title]");
    var slug = document.querySelector("input[name=slug]");
    if (!title || !slug) { return; }
    var suggested = slug.value ? null : "";
    title.addEventListener("input", function () {
      if (suggested === null || slug.value !== suggested) { return; }  // typed by hand: kept
      suggested = slugify(title.value);
      slug.value = suggested;
    });
    slug.addEventListener("input", function () { suggested = null; });
  }

  // An image chosen in the inline but not saved yet: insert a placeholder that saving turns
  // into the image's address (blog/admin.py, UPLOAD_REF_RE).
  function setUpPendingImages(textarea) {
    var label = textarea.getAttribute("data-insert-label") || "Insert";
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!input || input.type !== "file" || !/-image$/.test(input.name) || !input.files.length) { return; }
      var row = input.closest("tr") || input.parentNode;
      var button = row.querySelector(".blog-insert-pending");
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "button blog-insert-pending";
        button.textContent = label;
        input.parentNode.appendChild(button);
      }
      var name = input.files[0].name;
      var altInput = row.querySelector("input[name$='-alt']");
      button.onclick = function () {
        var alt = (altInput && altInput.value) || name.replace(/\.[^.]+$/, "");
        insertAtCursor(textarea, "![" + alt + "](upload:" + encodeURIComponent(name) + ")");
      };
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpSlugSuggestion();
    var textarea = document.querySelector("textarea.blog-body");
    if (!textarea) { return; }
    setUpPreview(textarea);
    setUpPendingImages(textarea);
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target && target.classList && target.classList.contains("blog-insert-image")) {
        insertAtCursor(textarea, target.getAttribute("data-markdown"));
      }
    });
  });
})();
