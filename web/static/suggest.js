/* teilhabe - autocomplete for the search box.
   Turns every input[data-suggest] into an ARIA 1.2 combobox with a listbox
   popup (WAI-ARIA Authoring Practices, "list autocomplete"), fed by
   /api/suggest.  Keys: Down/Up move through the suggestions (and open
   them), Enter searches for the highlighted one, Escape closes, Tab leaves.
   Without this script the box is a plain form field: nothing depends on it. */
(function () {
  'use strict';

  function setup(input) {
    var form = input.form;
    var listId = input.id + '-vorschlaege';
    var list = document.createElement('ul');
    var status = document.createElement('span');
    var items = [];
    var active = -1;
    var timer = 0;
    var pending = null;
    var shown = input.value;

    list.id = listId;
    list.className = 'suggest';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Vorschläge');
    list.hidden = true;
    status.className = 'sr';
    status.setAttribute('role', 'status');
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);

    function highlight(i) {
      var opts = list.children;
      if (active >= 0 && opts[active]) opts[active].setAttribute('aria-selected', 'false');
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', opts[i].id);
        if (opts[i].scrollIntoView) opts[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function open() {
      if (!items.length) return false;
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      return true;
    }

    function close() {
      highlight(-1);
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
    }

    function take(i) {
      input.value = items[i];
      shown = input.value;
      close();
      input.focus();
    }

    function render(words) {
      items = words;
      list.textContent = '';
      active = -1;
      input.removeAttribute('aria-activedescendant');
      words.forEach(function (w, i) {
        var li = document.createElement('li');
        li.id = listId + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = w;
        /* Keep the focus in the input while clicking. */
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { take(i); });
        list.appendChild(li);
      });
      if (words.length && document.activeElement === input) open();
      else close();
      status.textContent = words.length
        ? words.length + (words.length === 1 ? ' Vorschlag' : ' Vorschläge') +
          ', Pfeiltaste nach unten zum Auswählen'
        : '';
    }

    function lookup() {
      var q = input.value;
      if (q === shown) return;
      shown = q;
      if (pending) pending.abort();
      pending = null;
      if (q.trim().length < 2 || q.length > 100) { render([]); return; }
      pending = new AbortController();
      fetch('/api/suggest?q=' + encodeURIComponent(q), {
        signal: pending.signal,
        headers: { Accept: 'application/json' }
      }).then(function (r) {
        return r.ok ? r.json() : [];
      }).then(function (words) {
        if (input.value === q) render(Array.isArray(words) ? words : []);
      }).catch(function () { /* offline or aborted: no suggestions */ });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 100);
    });
    input.addEventListener('keydown', function (e) {
      var n = items.length;
      if (e.altKey && e.key === 'ArrowDown') {
        if (open()) e.preventDefault();
        return;
      }
      switch (e.key) {
        case 'ArrowDown':
          if (!n) return;
          e.preventDefault();
          if (list.hidden) open();
          highlight(active + 1 < n ? active + 1 : 0);
          break;
        case 'ArrowUp':
          if (!n) return;
          e.preventDefault();
          if (list.hidden) open();
          highlight(active > 0 ? active - 1 : n - 1);
          break;
        case 'Enter':
          if (!list.hidden && active >= 0) {
            e.preventDefault(); /* take it and search, as a click would */
            take(active);
            if (form) {
              if (form.requestSubmit) form.requestSubmit();
              else form.submit();
            }
          } else {
            close();
          }
          break;
        case 'Escape':
          if (!list.hidden) {
            e.preventDefault();
            close();
          }
          break;
        case 'Tab':
          close();
          break;
      }
    });
    input.addEventListener('blur', close);
    if (form) form.addEventListener('submit', close);
  }

  var boxes = document.querySelectorAll('input[data-suggest]');
  for (var i = 0; i < boxes.length; i++) {
    if (boxes[i].id && window.fetch) setup(boxes[i]);
  }
})();
