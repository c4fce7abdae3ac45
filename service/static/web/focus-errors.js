// Move focus to the error summary so keyboard and screen-reader users start from the problems.
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
