// Draw the case's diagram with its run state (the page lists the same progress as a table).
(function () {
  'use strict';
  var container = document.getElementById('diagram');
  var data = document.getElementById('diagram-highlights');
  if (!container || !data || !window.RcpViewer) return;
  var highlights = JSON.parse(data.textContent);
  container.replaceChildren();
  container.classList.add('diagram--loading');
  window.RcpViewer.renderFromUrl(container, container.getAttribute('data-diagram-url'), highlights)
    .then(function (drawn) {
      window.RcpViewer.attachZoom(drawn.viewer, container, document.getElementById('diagram-tools'));
      container.classList.remove('diagram--loading');
      container.setAttribute('data-rendered', 'true');
    })
    .catch(function (error) {
      container.classList.remove('diagram--loading');
      var message = document.createElement('p');
      message.className = 'diagram__fallback';
      message.textContent = 'The diagram could not be drawn (' + error.message + '); the table below lists the progress.';
      container.replaceChildren(message);
    });
})();
