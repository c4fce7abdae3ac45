// Versions page: the two compared versions side by side, differences coloured (window.RcpDiff).
(function () {
  'use strict';

  const box = document.getElementById('visual-diff');
  const status = document.getElementById('diff-status');
  if (!box) return;

  async function text(url) {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(url + ': ' + response.status);
    return response.text();
  }

  async function render() {
    try {
      const [before, after] = await Promise.all([text(box.dataset.beforeUrl), text(box.dataset.afterUrl)]);
      const { changes } = await window.RcpDiff.render('#diff-before', '#diff-after', before, after, {
        toolbar: '#diff-tools'
      });
      box.dataset.rendered = 'true';
      box.dataset.changes = String(changes.length);
      status.textContent = changes.length + ' difference(s) shown on the diagrams (layout included).';
    } catch (error) {
      status.textContent = 'The visual comparison could not be drawn: ' + error.message;
    }
  }

  render();
})();
