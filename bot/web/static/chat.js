// The web chat: POST /api/ask, show the answer with its sources, 👍/👎, erase my data.
// Everything from the server is put in the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var words = JSON.parse(document.getElementById("words").textContent);
  var list = document.getElementById("messages");
  var form = document.getElementById("ask");
  var box = document.getElementById("question");
  var previous = null;

  function post(path, body) {
    return fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                        credentials: "same-origin", body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); });
  }

  function add(kind, text) {
    var item = document.createElement("li");
    item.className = kind;
    item.textContent = text;
    list.appendChild(item);
    item.scrollIntoView({block: "end"});
    return item;
  }

  function votes(item, questionId) {
    var row = document.createElement("div");
    row.className = "votes";
    [[1, "👍"], [-1, "👎"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = pair[1];
      button.className = pair[0] > 0 ? "vote-up" : "vote-down";
      button.addEventListener("click", function () {
        post("/api/feedback", {question_id: questionId, vote: pair[0]}).then(function () {
          row.textContent = words.thanks;
        });
      });
      row.appendChild(button);
    });
    item.appendChild(row);
  }

  function show(data) {
    var item = add("bot", data.answer);
    if (data.sources && data.sources.length) {
      var heading = document.createElement("div");
      heading.textContent = words.sources;
      var sources = document.createElement("ul");
      data.sources.forEach(function (s) {
        var li = document.createElement("li");
        // Publisher and date, as every face shows them (16/02/2023); the date even when the
        // article names no publisher: a citizen needs to know how recent a quote is.
        var date = s.published ? s.published.split("-").reverse().join("/") : "";
        var details = [s.publisher, date].filter(Boolean).join(", ");
        var label = s.title + (details ? " (" + details + ")" : "");
        if (s.url && /^https?:\/\//.test(s.url)) {
          var a = document.createElement("a");
          a.href = s.url; a.textContent = label; a.target = "_blank"; a.rel = "noopener noreferrer";
          a.className = "source";
          li.appendChild(a);
        } else {
          li.textContent = label;
        }
        sources.appendChild(li);
      });
      item.appendChild(heading);
      item.appendChild(sources);
    }
    if (data.question_id) { votes(item, data.question_id); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = box.value.trim();
    if (!question) { return; }
    add("mine", question);
    box.value = "";
    post("/api/ask", {question: question, after: previous}).then(function (r) {
      if (!r.ok) { add("bot error", r.data.error || words.error); return; }
      if (!r.data.small_talk) { previous = r.data.question || question; }
      show(r.data);
    }).catch(function () { add("bot error", words.error); });
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  document.getElementById("forget").addEventListener("click", function () {
    post("/api/forget", {}).then(function (r) {
      document.getElementById("forget-result").textContent =
        words.forgotten.replace("{count}", r.data.erased);
      list.textContent = "";
      previous = null;
    });
  });
})();
