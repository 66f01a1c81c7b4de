(function () {
  // Only enhances the page: everything works without it (the error summary takes the focus by autofocus,
  // and a page waiting for Apple's verdict refreshes itself a few times).
  var checking = document.getElementById('checking');
  if (checking && checking.getAttribute('data-poll')) {
    // Asks the link's status endpoint until Apple's verdict is in, then shows the page that tells it.
    var lang = encodeURIComponent(document.documentElement.lang);
    var path = location.pathname.replace(/\/+$/, '');
    var left = parseInt(checking.getAttribute('data-poll'), 10);
    var ask = function () {
      if (left-- <= 0) { location.replace(path + '?lang=' + lang + '&check=last'); return; }
      fetch(path + '/status?lang=' + lang, {cache: 'no-store', credentials: 'same-origin',
        headers: {'Accept': 'application/json'}})
        .then(function (answer) { return answer.json(); })
        .then(function (status) {
          if (status.state === 'checking') { setTimeout(ask, 1500); } else { location.replace(path + '?lang=' + lang); }
        })
        .catch(function () { setTimeout(ask, 3000); });
    };
    setTimeout(ask, 1000);
  }
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
