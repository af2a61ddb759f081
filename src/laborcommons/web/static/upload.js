// Upload with a progress bar: the same form, sent by XMLHttpRequest so the browser reports
// how much of a large file has gone. The server answers as it does without JavaScript: a
// redirect to the dataset page (followed here) or the form again with the validation
// report (422); either way the answer's HTML replaces this page. Without JavaScript the
// form is posted as usual.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var box = document.getElementById("upload-progress");
  if (!form || !box || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var bar = document.getElementById("upload-progress-bar");
  var text = document.getElementById("upload-progress-text");
  var button = form.querySelector('button[type="submit"]');

  function show(loaded, total) {
    var percent = total ? Math.round((loaded / total) * 100) : 0;
    bar.value = percent;
    bar.textContent = percent + "%";
    var mb = function (n) { return (n / 1048576).toFixed(1) + " MB"; };
    text.textContent = total
      ? percent + "% (" + mb(loaded) + " of " + mb(total) + ")"
      : "Sending…";
  }

  function replaceDocument(html, url) {
    if (url && url !== window.location.href) {
      window.history.pushState(null, "", url);
    }
    document.open();
    document.write(html);
    document.close();
  }

  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) {
      return;
    }
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      show(e.loaded, e.lengthComputable ? e.total : 0);
    });
    request.upload.addEventListener("load", function () {
      bar.value = 100;
      text.textContent = "Sent. Checking the file…";
    });
    request.addEventListener("load", function () {
      replaceDocument(request.responseText, request.responseURL);
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      text.textContent = "The upload failed (network error). Try again.";
    });
    box.hidden = false;
    button.disabled = true;
    show(0, 0);
    request.send(new FormData(form));
  });
})();
