// The console's own script: live parts of a page (polling) and uploads with a progress bar.
// No library: a part is any element with data-poll="URL"; the server answers that URL with the
// part alone when asked with the X-Console-Part header, and the part stops polling once the answer
// no longer carries data-poll (the job finished).
(function () {
  "use strict";
  var POLL_MS = 1000;

  function parse(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function poll(element) {
    var url = element.getAttribute("data-poll");
    window.setTimeout(function () {
      fetch(url, { headers: { "X-Console-Part": "1" }, credentials: "same-origin", cache: "no-store" })
        .then(function (answer) {
          if (!answer.ok) { throw new Error("status " + answer.status); }
          return answer.text();
        })
        .then(function (html) {
          var fresh = parse(html);
          // Anything but the same part (a sign-in page after the session ended, say) is not applied.
          if (!fresh || fresh.id !== element.id) { throw new Error("not this part"); }
          element.replaceWith(fresh);
          if (fresh.hasAttribute("data-poll")) { poll(fresh); }
        })
        .catch(function () {
          element.setAttribute("data-poll-error", "true");
          poll(element);  // try again: a server restart should not freeze the page
        });
    }, POLL_MS);
  }

  function upload(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var bar = form.querySelector("progress");
      var status = form.querySelector("[data-upload-status]");
      var button = form.querySelector("button[type=submit]");
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      var token = form.querySelector("input[name=csrf_token]");
      if (token) { request.setRequestHeader("X-CSRF-Token", token.value); }
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && bar) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          if (status) { status.textContent = "Uploading: " + bar.value + "%"; }
        }
      });
      request.addEventListener("load", function () {
        if (request.status >= 200 && request.status < 400) {
          window.location.assign(request.responseURL);
          return;
        }
        var page = parse("<div>" + request.responseText + "</div>");
        var notice = page && page.querySelector(".notice");
        if (status) { status.textContent = notice ? notice.textContent : "The upload failed (" + request.status + ")."; }
        if (button) { button.disabled = false; }
      });
      request.addEventListener("error", function () {
        if (status) { status.textContent = "The upload failed: the connection was lost."; }
        if (button) { button.disabled = false; }
      });
      if (button) { button.disabled = true; }
      if (bar) { bar.hidden = false; bar.value = 0; }
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("[data-poll]").forEach(poll);
  document.querySelectorAll("form[data-upload]").forEach(upload);
})();
