// The explorer's finding controls as a screen reader and a keyboard expect them.
//
// ipywidgets draws a RadioButtons as a <label> with the description beside a box of radios that
// share no name and no group: a screen reader hears "present, radio button" without the finding,
// and each radio is its own Tab stop (three per finding). Here each control becomes a radiogroup
// named by its finding's label, and its radios share a name, so the browser makes the group one
// Tab stop with the arrow keys inside (a native radio group). The collapsible sections' headers,
// plain <div>s that only listen for clicks, become headings holding a button that the keyboard
// can reach and that says whether the section is open. Controls drawn later are handled as they
// appear. tests/test_browser.py reads the page's accessibility tree to check all of it.
(function () {
  'use strict';
  var count = 0;

  function nameGroup(el) {
    var label = el.querySelector(':scope > .widget-label');
    var radios = el.querySelectorAll(':scope > .widget-radio-box input[type="radio"]');
    if (!label || radios.length === 0) {
      return;
    }
    if (!el.dataset.kneesciGroup) {
      count += 1;
      el.dataset.kneesciGroup = 'kneesci-finding-group-' + count;
      label.id = el.dataset.kneesciGroup + '-label';
      el.setAttribute('role', 'radiogroup');
      el.setAttribute('aria-labelledby', label.id);
    }
    // ipywidgets redraws the radios whenever the kernel sets the value (it compares their
    // values with the option labels, which never match), so name the new ones each time.
    radios.forEach(function (radio) { radio.name = el.dataset.kneesciGroup; });
  }

  function sectionHeader(header) {
    if (header.getAttribute('role') === 'heading') {
      return;
    }
    var title = header.querySelector('span');
    var collapse = header.parentElement;
    if (!title || !collapse) {
      return;
    }
    header.setAttribute('role', 'heading');
    header.querySelectorAll('i').forEach(function (icon) { icon.setAttribute('aria-hidden', 'true'); });
    header.setAttribute('aria-level', '3');
    title.setAttribute('role', 'button');
    title.tabIndex = 0;
    var expanded = function () {
      var open = collapse.classList.contains('jupyter-widget-Collapse-open');
      title.setAttribute('aria-expanded', open ? 'true' : 'false');
    };
    expanded();
    new MutationObserver(expanded).observe(collapse, { attributes: true, attributeFilter: ['class'] });
    title.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        header.click();
      }
    });
  }

  // Voila serves no notebook (a link to one answers 403 and loses the patient): a link to a
  // notebook, which JupyterLab opens, is plain text here.
  function unlinkNotebook(link) {
    var text = document.createElement('span');
    text.textContent = link.textContent;
    link.replaceWith(text);
  }

  function enhance(root) {
    if (!root.querySelectorAll) {
      return;
    }
    root.querySelectorAll('a[href$=".ipynb"]').forEach(unlinkNotebook);
    root.querySelectorAll('.kneesci-finding.widget-radio').forEach(nameGroup);
    root.querySelectorAll('.kneesci-explorer .jupyter-widget-Collapse-header').forEach(sectionHeader);
  }

  function start() {
    enhance(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        // ipywidgets may give a control its CSS classes after its radios are on the page
        if (mutation.type === 'attributes') {
          if (mutation.target.matches('.kneesci-finding.widget-radio')) {
            nameGroup(mutation.target);
          }
          return;
        }
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) {
            return;
          }
          // ipywidgets fills a control's radios after the control itself is on the page
          var control = node.parentElement && node.parentElement.closest('.kneesci-finding.widget-radio');
          if (control) {
            nameGroup(control);
          }
          enhance(node.parentElement || node);
        });
      });
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ['class']
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
