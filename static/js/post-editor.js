/* The post form: a small text editor (bold, italics, lists, links) over the post's text
   area, a preview of the chosen photo beside the children to mark in it, and how many
   are marked in each group.

   Without script the text area stays: a blank line starts a new paragraph. With it, the
   editor writes simple HTML into the text area; the server cleans it either way
   (messaging/sanitize.py), so nothing here is a safeguard, only a convenience. No inline
   script or style: the strict Content-Security-Policy holds. */
(function () {
  "use strict";

  // What the editor keeps; everything else is unwrapped to its text.
  var KEEP = {
    P: "p",
    DIV: "p",
    BR: "br",
    STRONG: "strong",
    B: "strong",
    EM: "em",
    I: "em",
    UL: "ul",
    OL: "ol",
    LI: "li",
    A: "a",
    H2: "h2",
    H3: "h3",
    BLOCKQUOTE: "blockquote",
  };
  var BLOCKS = { p: 1, ul: 1, ol: 1, h2: 1, h3: 1, blockquote: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, HEAD: 1, TITLE: 1, META: 1 };
  var SAFE_LINK = /^(https?:\/\/|mailto:)/i;
  var NOT_IN_P = "p, div, ul, ol, li, h1, h2, h3, h4, h5, h6, blockquote, table";

  function copyClean(source, target) {
    var doc = target.ownerDocument;
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(doc.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== 1 || DROP[node.tagName]) {
        return;
      }
      var name = KEEP[node.tagName];
      var href = name === "a" ? (node.getAttribute("href") || "").trim() : "";
      // A paragraph never holds a list or another paragraph (a pasted <div> may).
      var holdsBlocks = name === "p" && node.querySelector(NOT_IN_P);
      if (!name || holdsBlocks || (name === "a" && !SAFE_LINK.test(href))) {
        copyClean(node, target);
        return;
      }
      var element = doc.createElement(name);
      if (name === "a") {
        element.setAttribute("href", href);
      }
      copyClean(node, element);
      target.appendChild(element);
    });
  }

  function isEmpty(element) {
    return !element.textContent.trim();
  }

  // Top-level text and inline elements go into paragraphs; empty paragraphs go.
  function paragraphs(container) {
    var doc = container.ownerDocument;
    var result = doc.createElement("div");
    var open = null;
    Array.prototype.slice.call(container.childNodes).forEach(function (node) {
      var name = node.nodeType === 1 ? node.tagName.toLowerCase() : "";
      if (BLOCKS[name]) {
        open = null;
        if (!isEmpty(node)) {
          result.appendChild(node);
        }
        return;
      }
      if (!open) {
        open = doc.createElement("p");
        result.appendChild(open);
      }
      open.appendChild(node);
    });
    Array.prototype.slice.call(result.querySelectorAll("p")).forEach(function (p) {
      while (p.lastChild && p.lastChild.nodeName === "BR") {
        p.removeChild(p.lastChild);
      }
      if (!p.textContent.trim()) {
        p.parentNode.removeChild(p);
      }
    });
    return result;
  }

  function cleaned(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var container = document.createElement("div");
    copyClean(parsed.body, container);
    return paragraphs(container);
  }

  // What was typed without the editor: a blank line between paragraphs.
  function fromPlainText(text) {
    var container = document.createElement("div");
    text
      .replace(/\r\n/g, "\n")
      .split(/\n\s*\n/)
      .forEach(function (chunk) {
        if (!chunk.trim()) {
          return;
        }
        var p = document.createElement("p");
        chunk
          .trim()
          .split("\n")
          .forEach(function (line, index) {
            if (index) {
              p.appendChild(document.createElement("br"));
            }
            p.appendChild(document.createTextNode(line));
          });
        container.appendChild(p);
      });
    return container;
  }

  function fill(area, container) {
    area.textContent = "";
    while (container.firstChild) {
      area.appendChild(container.firstChild);
    }
  }

  function setup(textarea) {
    var template = document.getElementById(textarea.dataset.editor);
    if (!template || !window.DOMParser || !document.execCommand) {
      return;
    }
    var editor = template.content.firstElementChild.cloneNode(true);
    var toolbar = editor.querySelector("[role=toolbar]");
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var area = editor.querySelector(".editor-area");
    var panel = editor.querySelector(".editor-link");
    var urlInput = panel.querySelector("input");
    var urlError = panel.querySelector("[data-link-error]");
    var label = textarea.labels && textarea.labels[0];
    var saved = null;

    area.id = textarea.id + "_editor";
    if (label) {
      label.id = label.id || textarea.id + "_label";
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (event) {
        event.preventDefault();
        area.focus();
      });
    }
    var described = (textarea.getAttribute("aria-describedby") || "").split(/\s+/);
    var error = document.getElementById(textarea.id + "-error");
    if (error) {
      described.push(error.id);
      area.setAttribute("aria-invalid", "true");
    }
    described = described.filter(Boolean);
    if (described.length) {
      area.setAttribute("aria-describedby", described.join(" "));
    }
    toolbar.setAttribute("aria-controls", area.id);
    var hint = document.getElementById(textarea.id + "_helptext");
    if (hint && template.dataset.hint) {
      hint.textContent = template.dataset.hint;
    }

    // What the editor sends is HTML; the server reads a bare text area as plain text.
    var format = textarea.form.querySelector("input[name='" + textarea.name + "_format']");
    var value = textarea.value;
    var wasHtml = format ? format.value === "html" : /<\/?[a-z][^>]*>/i.test(value);
    fill(area, wasHtml ? cleaned(value) : fromPlainText(value));
    if (format) {
      format.value = "html";
    }
    textarea.hidden = true;
    textarea.parentNode.insertBefore(editor, textarea.nextSibling);

    function sync() {
      var copy = document.createElement("div");
      copyClean(area, copy);
      textarea.value = paragraphs(copy).innerHTML;
    }

    function remember() {
      var selection = window.getSelection();
      if (selection.rangeCount && area.contains(selection.anchorNode)) {
        saved = selection.getRangeAt(0).cloneRange();
      }
    }

    function restore() {
      area.focus();
      if (saved) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(saved);
      }
    }

    // The editor's own top-level block around a node (a paragraph or a list).
    function blockOf(node) {
      while (node && node.parentNode !== area) {
        node = node.parentNode;
      }
      return node;
    }

    function showState() {
      var selection = window.getSelection();
      var block = selection.rangeCount ? blockOf(selection.anchorNode) : null;
      buttons.forEach(function (button) {
        var state = button.dataset.state;
        if (state === "ul" || state === "ol") {
          var inList = !!block && block.nodeName.toLowerCase() === state;
          button.setAttribute("aria-pressed", String(inList));
        } else if (state) {
          button.setAttribute("aria-pressed", String(document.queryCommandState(state)));
        }
      });
    }

    // Lists are made here, not by execCommand: browsers nest a list in the paragraph it
    // came from and lose the caret. The selected paragraphs become the list's items, or,
    // when they already are such a list, paragraphs again.
    function toggleList(tag) {
      var selection = window.getSelection();
      if (!selection.rangeCount) {
        return;
      }
      var range = selection.getRangeAt(0);
      var caret = [range.startContainer, range.startOffset, range.endContainer, range.endOffset];
      var first = blockOf(range.startContainer);
      var last = blockOf(range.endContainer);
      if (!first || !last) {
        return;
      }
      var blocks = [];
      for (var node = first; node; node = node.nextSibling) {
        if (node.nodeType === 1 || node.textContent.trim()) {
          blocks.push(node);
        }
        if (node === last) {
          break;
        }
      }
      var landing = null;
      if (
        blocks.every(function (block) {
          return block.nodeName.toLowerCase() === tag;
        })
      ) {
        blocks.forEach(function (list) {
          Array.prototype.slice.call(list.children).forEach(function (item) {
            var p = document.createElement("p");
            while (item.textContent && item.firstChild) {
              p.appendChild(item.firstChild);
            }
            if (!p.firstChild) {
              p.appendChild(document.createElement("br"));
            }
            area.insertBefore(p, list);
            landing = p;
          });
          area.removeChild(list);
        });
      } else {
        var list = document.createElement(tag);
        area.insertBefore(list, blocks[0]);
        blocks.forEach(function (block) {
          var name = block.nodeName.toLowerCase();
          if (name === "ul" || name === "ol") {
            while (block.firstChild) {
              list.appendChild(block.firstChild);
            }
          } else {
            var item = document.createElement("li");
            if (block.nodeType === 3) {
              item.appendChild(block);
            } else if (block.textContent) {
              while (block.firstChild) {
                item.appendChild(block.firstChild);
              }
            }
            if (!item.firstChild) {
              item.appendChild(document.createElement("br"));
            }
            list.appendChild(item);
            landing = item;
          }
          if (block.parentNode === area) {
            area.removeChild(block);
          }
        });
      }
      var moved = document.createRange();
      if (area.contains(caret[0]) && area.contains(caret[2])) {
        moved.setStart(caret[0], caret[1]);
        moved.setEnd(caret[2], caret[3]);
      } else if (landing) {
        moved.selectNodeContents(landing);
        moved.collapse(false);
      }
      selection.removeAllRanges();
      selection.addRange(moved);
    }

    // Bold or italics turned off on an empty line: the line loses the formatting it
    // inherited (browsers forget a turned-off style as soon as the focus moves).
    function clearEmptyLine(name) {
      var selection = window.getSelection();
      if (!selection.rangeCount || !selection.getRangeAt(0).collapsed) {
        return false;
      }
      var node = selection.anchorNode;
      var line = (node.nodeType === 1 ? node : node.parentNode).closest("p, li");
      if (!line || !area.contains(line) || line.textContent || !document.queryCommandState(name)) {
        return false;
      }
      line.innerHTML = "<br>";
      var range = document.createRange();
      range.setStart(line, 0);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }

    function command(name) {
      restore();
      document.execCommand("defaultParagraphSeparator", false, "p");
      if (name === "ul" || name === "ol") {
        toggleList(name);
      } else if (!clearEmptyLine(name)) {
        document.execCommand(name, false, null);
      }
      remember();
      sync();
      showState();
    }

    function openLink() {
      remember();
      panel.hidden = false;
      urlError.hidden = true;
      urlInput.removeAttribute("aria-invalid");
      urlInput.value = "";
      urlInput.focus();
    }

    function closeLink(focusButton) {
      panel.hidden = true;
      if (focusButton) {
        toolbar.querySelector("[data-command=link]").focus();
      }
    }

    function insertLink() {
      var url = urlInput.value.trim();
      if (url && !SAFE_LINK.test(url) && /^[^\s@/]+\.[^\s]+$/.test(url)) {
        url = "https://" + url;
      }
      if (!SAFE_LINK.test(url) || /\s/.test(url)) {
        urlError.hidden = false;
        urlInput.setAttribute("aria-invalid", "true");
        urlInput.focus();
        return;
      }
      closeLink(false);
      restore();
      var selection = window.getSelection();
      if (!selection.rangeCount || selection.getRangeAt(0).collapsed) {
        var link = document.createElement("a");
        link.href = url;
        link.textContent = url;
        var range = selection.rangeCount ? selection.getRangeAt(0) : null;
        if (range && area.contains(range.startContainer)) {
          range.insertNode(link);
        } else {
          var p = document.createElement("p");
          p.appendChild(link);
          area.appendChild(p);
        }
        range = document.createRange();
        range.setStartAfter(link);
        selection.removeAllRanges();
        selection.addRange(range);
      } else {
        document.execCommand("createLink", false, url);
      }
      remember();
      sync();
    }

    // The toolbar is one stop for Tab; the arrow keys move between its buttons.
    buttons.forEach(function (button, index) {
      button.tabIndex = index === 0 ? 0 : -1;
      // A click keeps the text selected in the editor.
      button.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      button.addEventListener("click", function () {
        if (button.dataset.command === "link") {
          openLink();
        } else {
          command(button.dataset.command);
        }
      });
    });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      var next = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        Home: 0,
        End: buttons.length - 1,
      }[event.key];
      if (index < 0 || next === undefined) {
        return;
      }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });

    panel.querySelector("[data-link=insert]").addEventListener("click", insertLink);
    panel.querySelector("[data-link=cancel]").addEventListener("click", function () {
      closeLink(true);
    });
    urlInput.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        insertLink();
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeLink(true);
      }
    });

    area.addEventListener("input", sync);
    area.addEventListener("keyup", remember);
    area.addEventListener("mouseup", remember);
    area.addEventListener("blur", remember);
    // Typing always happens in a paragraph: an empty editor gets one to start in.
    function startParagraph() {
      if (area.textContent.trim() || area.querySelector("p, ul, ol")) {
        return;
      }
      area.innerHTML = "<p><br></p>";
      var range = document.createRange();
      range.setStart(area.firstChild, 0);
      range.collapse(true);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    area.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");
      startParagraph();
    });
    area.addEventListener("keydown", function (event) {
      if (event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
        startParagraph();
      }
    });
    area.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        openLink();
      }
    });
    document.addEventListener("selectionchange", function () {
      if (area.contains(window.getSelection().anchorNode)) {
        showState();
      }
    });
    // Pasted text (from Word, a web page) keeps bold, italics, lists and links only.
    area.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) {
        return;
      }
      event.preventDefault();
      var html = data.getData("text/html");
      var container = html ? cleaned(html) : fromPlainText(data.getData("text/plain"));
      document.execCommand("insertHTML", false, container.innerHTML);
      sync();
    });
    textarea.form.addEventListener("submit", sync);
    // The error summary's link to the text goes to the editor.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href='#" + textarea.id + "']");
      if (link) {
        event.preventDefault();
        area.focus();
      }
    });
  }

  // The chosen photo beside the children to mark in it (a data: URL: the policy allows
  // those for images, and nothing leaves the browser before the form is sent).
  function previewPhoto(figure) {
    var input = document.getElementById(figure.dataset.photoPreview);
    if (!input || !window.FileReader) {
      return;
    }
    // The picture is made here: an image without a source is not valid HTML.
    var image = document.createElement("img");
    image.alt = figure.dataset.photoAlt || "";
    figure.insertBefore(image, figure.firstChild);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\//.test(file.type)) {
        figure.hidden = true;
        image.removeAttribute("src");
        return;
      }
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        image.src = reader.result;
        figure.hidden = false;
      });
      reader.readAsDataURL(file);
    });
  }

  // "3 marked" beside a group's name, so a closed group still tells what is in it.
  function countMarked(group) {
    var counter = group.querySelector("[data-marked]");
    var boxes = group.querySelectorAll("input[type=checkbox]");
    function update() {
      var marked = Array.prototype.filter.call(boxes, function (box) {
        return box.checked;
      }).length;
      counter.textContent = marked ? marked + " " + counter.dataset.marked : "";
    }
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-editor]").forEach(setup);
    document.querySelectorAll("[data-photo-preview]").forEach(previewPhoto);
    document.querySelectorAll(".pictured-group").forEach(countMarked);
  });
})();
