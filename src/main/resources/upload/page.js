(function () {
  // Only enhances the page: everything works without it (the error summary takes the focus by autofocus).
  var drop = document.getElementById('drop');
  var input = document.getElementById('key');
  var form = document.getElementById('upload');
  var send = document.getElementById('send');
  if (!drop || !input || !form || !send) { return; }
  ['dragenter', 'dragover'].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      input.files = event.dataTransfer.files;
    }
  });
  form.addEventListener('submit', function () { send.disabled = true; });
  // Back from the answer page, the browser may show this page from its cache with the button still disabled.
  window.addEventListener('pageshow', function () { send.disabled = false; });
})();
