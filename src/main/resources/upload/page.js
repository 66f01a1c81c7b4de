(function () {
  var drop = document.getElementById('drop');
  var input = document.getElementById('key');
  var form = document.getElementById('upload');
  if (!drop || !input || !form) { return; }
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
  form.addEventListener('submit', function () {
    document.getElementById('send').disabled = true;
  });
})();
