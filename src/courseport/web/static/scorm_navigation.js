/* courseport's player navigation, after scorm_runtime.js (window.courseportRuntime).
 *
 * Without sequencing (SCORM 1.2, or a page with no `navigationUrl`): free choice, every SCO in
 * manifest order. With SCORM 2004 sequencing the server's sequencer rules: the start (or resumeAll),
 * each Terminate's adl.nav.request and the learner's clicks on the contents and on Continue /
 * Previous are sent to `navigationUrl`, which answers the SCO to deliver, a refusal (shown to the
 * learner; the SCO stays), or the course's end, with what is available now. A learner's request is
 * checked first (`check`: nothing changes on the server), then the SCO is unloaded so its exit data
 * is committed and reported, then the request is made.
 */
(function () {
  "use strict";

  var player = window.courseportRuntime, config = player.config, scos = config.scos;
  var available = { "continue": true, previous: true, choice: {}, hidden: [] };

  player.finish = function () {
    return player.unload().then(function () {
      document.body.setAttribute("data-state", "exited");
      if (config.exit === "blank") { window.location.assign("about:blank"); }
      else if (config.exit === "closer") { window.close(); }
      else if (config.exit !== "message") { window.location.assign(config.exit); }
    });
  };
  player.message = function (text) {
    document.getElementById("courseport-message").textContent = text;
    if (text) { document.body.setAttribute("data-message", text); } else { document.body.removeAttribute("data-message"); }
  };
  // What a SCO starts from when delivered again in this launch (the server's attempts.resume_values
  // for the next launch): its kept elements, and entry "resume" after a suspended exit.
  var KEPT = config.standard === "scorm12" ? ["cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.score.raw",
    "cmi.core.score.min", "cmi.core.score.max", "cmi.comments", "cmi.core.lesson_status"]
    : ["cmi.location", "cmi.suspend_data", "cmi.completion_status", "cmi.success_status", "cmi.score.scaled",
      "cmi.score.raw", "cmi.score.min", "cmi.score.max", "cmi.progress_measure"];
  player.left = function (id, values) {
    var kept = {}, twelve = config.standard === "scorm12";
    KEPT.forEach(function (name) {
      if (values[name] !== undefined && values[name] !== "" && values[name] !== "not attempted") { kept[name] = values[name]; }
    });
    kept[twelve ? "cmi.core.entry" : "cmi.entry"] = values[twelve ? "cmi.core.exit" : "cmi.exit"] === "suspend" ? "resume" : "";
    if (values["cmi.total_time"] || values["cmi.core.total_time"]) {
      kept[twelve ? "cmi.core.total_time" : "cmi.total_time"] = values[twelve ? "cmi.core.total_time" : "cmi.total_time"];
    }
    config.resume = config.resume || {};
    config.resume[id] = kept;
  };
  var deliver = player.deliver;
  player.deliver = function (index) { player.message(""); return deliver(index); };

  // ---- free choice ----
  function flowFree(request) {
    var next = player.current() + (request === "continue" ? 1 : -1);
    return next >= 0 && next < scos.length ? player.deliver(next) : player.finish();
  }
  var free = {
    choose: function (index) { return player.deliver(index); },
    flow: flowFree,
    terminated: function (request) {
      var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
      if (request === "continue" || request === "previous") { return flowFree(request); }
      if (choice && player.indexOf(choice[1]) >= 0) { return player.deliver(player.indexOf(choice[1])); }
      return player.finish();
    },
    requestValid: function (kind, target) {
      if (kind === "continue") { return player.current() < scos.length - 1; }
      return kind === "previous" ? player.current() > 0 : player.indexOf(target) >= 0;
    },
    start: function () { return player.deliver(Math.max(0, config.start || 0)); }
  };

  // ---- sequencing on the server ----
  function ask(request, target, check) {
    var body = JSON.stringify({ request: request, target: target || null, check: !!check });
    return player.idle().then(function () {
      return fetch(config.navigationUrl, { method: "POST", body: body, credentials: "omit",
        headers: { "Content-Type": "application/json" } });
    }).then(function (answer) {
      if (!answer.ok) {
        return answer.text().then(function (text) { throw new Error("navigation refused: " + answer.status + " " + text); });
      }
      return answer.json();
    }).then(function (answer) {
      show(answer.availability || {});
      return answer;
    });
  }

  function show(availability) {
    available = availability;
    var hidden = availability.hidden || [], choice = availability.choice || {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-sco-index]"), function (link) {
      var id = scos[parseInt(link.getAttribute("data-sco-index"), 10)].id;
      link.closest("li").hidden = hidden.indexOf(id) >= 0;
      link.setAttribute("aria-disabled", choice[id] === false ? "true" : "false");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-nav]"), function (button) {
      button.disabled = !availability[button.getAttribute("data-nav")];
    });
  }

  function follow(answer, alone) {
    if (answer.refused) { return player.message(answer.refused); }
    if (answer.ended) { return player.finish(); }
    if (answer.deliver && player.indexOf(answer.deliver) >= 0) {
      player.buckets = answer.data || []; // its shared data (adl.data), as the server has it now
      return player.deliver(player.indexOf(answer.deliver));
    }
    // Nothing to deliver: a one-SCO course is over; otherwise the learner chooses what comes next.
    if (alone) { return player.finish(); }
    return player.unload().then(function () { player.message("Choose an activity to continue."); });
  }

  // A learner's request: refused ones leave the SCO running; allowed ones unload it first.
  function learner(request, target) {
    return ask(request, target, true).then(function (answer) {
      if (answer.refused) { return player.message(answer.refused); }
      return player.unload().then(function () { return ask(request, target); }).then(function (done) { return follow(done); });
    }).catch(failed);
  }

  function failed(error) {
    document.body.setAttribute("data-commit-error", String(error));
    player.message("The course could not continue: " + String(error.message || error));
  }

  var sequenced = {
    choose: function (index) { return learner("choice", scos[index].id); },
    flow: function (request) { return learner(request); },
    terminated: function (request) {
      var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
      var asked = request === "_none_" ? "exit" : choice ? choice[2] : request;
      return player.unload().then(function () { return ask(asked, choice && choice[1]); }).then(function (answer) {
        return follow(answer, request === "_none_" && scos.length === 1);
      }).catch(failed);
    },
    requestValid: function (kind, target) {
      if (kind === "continue" || kind === "previous") { return !!available[kind]; }
      return !!(available.choice || {})[target];
    },
    start: function () {
      var start = config.start > 0 ? scos[config.start].id : null;
      return ask(start ? "choice" : "start", start).then(function (answer) { return follow(answer); }).catch(failed);
    }
  };

  var rules = config.navigationUrl ? sequenced : free;
  player.terminated = rules.terminated;
  player.requestValid = rules.requestValid;
  // A commit may change what the rules allow (the SCO completed): ask again ("_none_" changes nothing).
  if (rules === sequenced) {
    player.committed = function (event) { if (event !== "terminate") { ask("_none_").catch(failed); } };
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-sco-index], [data-nav]") : null;
    if (!link) { return; }
    event.preventDefault();
    if (link.hasAttribute("data-nav")) { rules.flow(link.getAttribute("data-nav")); }
    else { rules.choose(parseInt(link.getAttribute("data-sco-index"), 10)); }
  });

  rules.start();
})();
