// The edit form's "who will see what": each access radio carries both texts (rendered by
// the server from the dataset's grants); this only picks the one for the current choice.
(function () {
  "use strict";
  var target = document.getElementById("access-preview-text");
  if (!target) {
    return;
  }
  function checked(name) {
    return document.querySelector('input[name="' + name + '"]:checked');
  }
  function update() {
    var level = checked("access");
    if (!level) {
      return;
    }
    var hidden = checked("discoverable");
    var key = hidden && hidden.value === "no" ? "previewHidden" : "previewDiscoverable";
    target.textContent = level.dataset[key] || "";
  }
  var inputs = document.querySelectorAll('input[name="access"], input[name="discoverable"]');
  for (var i = 0; i < inputs.length; i += 1) {
    inputs[i].addEventListener("change", update);
  }
})();
