/* courseport's own SCORM runtime for the preview player.
 *
 * Provides the SCORM 1.2 `window.API` and SCORM 2004 `window.API_1484_11` objects a SCO looks
 * for in its parent window. The data models are tables (element -> access, type); values are kept
 * here and sent, whole, to the server on Initialize, Commit and Terminate, where they become xAPI
 * statements (and, for a registration, its attempt's record; `config.resume` seeds its next launch). Navigation: free choice here; SCORM 2004 sequencing in scorm_navigation.js,
 * whose server answers also carry the delivered SCO's shared data buckets (`adl.data`, `player.buckets`).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("courseport-launch").textContent);

  // ---- value types: each returns 0 (valid), "type" (mismatch) or "range" (out of range) ----
  function words(list) { var set = {}; list.split(" ").forEach(function (w) { set[w] = true; }); return set; }
  function vocab(list) { var set = words(list); return function (v) { return set[v] ? 0 : "type"; }; }
  function matches(re) { return function (v) { return re.test(v) ? 0 : "type"; }; }
  function maxLength(n) { return function (v) { return v.length <= n ? 0 : "type"; }; }
  var NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
  function number(min, max, blank) {
    return function (v) {
      if (blank && v === "") { return 0; }
      if (!NUMBER.test(v)) { return "type"; }
      var x = parseFloat(v);
      return (min !== null && x < min) || (max !== null && x > max) ? "range" : 0;
    };
  }
  function integer(min, max) {
    return function (v) { return /^-?\d+$/.test(v) ? number(min, max)(v) : "type"; };
  }
  function any() { return 0; }
  function either(a, b) { return function (v) { return a(v) === 0 || b(v) === 0 ? 0 : "type"; }; }

  var T12 = {
    s255: maxLength(255), s4096: maxLength(4096), id: matches(/^\S{1,255}$/),
    score: number(0, 100, true), decimal: number(null, null, false),
    status: vocab("passed completed failed incomplete browsed"),
    exit: function (v) { return v === "" || vocab("time-out suspend logout")(v) === 0 ? 0 : "type"; },
    timespan: matches(/^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/), time: matches(/^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$/),
    audio: integer(-1, 100), speed: integer(-100, 100), text: integer(-1, 1),
    itype: vocab("true-false choice fill-in matching performance sequence likert numeric"),
    result: either(vocab("correct wrong unanticipated neutral"), number(null, null, false))
  };
  var T2004 = {
    any: any, real: number(null, null, false), scaled: number(-1, 1, false), unit: number(0, 1, false),
    nonnegative: number(0, null, false), caption: integer(-1, 1),
    uri: matches(/^\S{1,4000}$/),
    success: vocab("passed failed unknown"),
    exit: function (v) { return v === "" || vocab("time-out suspend logout normal")(v) === 0 ? 0 : "type"; },
    interval: matches(/^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/),
    time: matches(/^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$/),
    lang: matches(/^$|^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9]{1,8})*$/),
    itype: vocab("true-false choice fill-in long-fill-in matching performance sequencing likert numeric other"),
    result: either(vocab("correct incorrect unanticipated neutral"), number(null, null, false)),
    nav: matches(/^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^}]+\}(choice|jump))$/)
  };
  // "not attempted" holds a space, which `vocab` splits on.
  function withNotAttempted(check) { return function (v) { return v === "not attempted" ? 0 : check(v); }; }
  T2004.completion = withNotAttempted(vocab("completed incomplete unknown"));

  // ---- data models: element pattern ("n" = array index) -> [access, type] ----
  var SCORM12 = {
    errors: { general: "101", argument: "201", noChildren: "202", noCount: "203", notInitialized: "301",
      notInitializedGet: "301", notInitializedSet: "301", notInitializedCommit: "301", alreadyInitialized: "101",
      terminated: "301", terminatedGet: "301", terminatedSet: "301", terminatedCommit: "301", terminatedTerminate: "301",
      notInitializedTerminate: "301", undefined: "201", keyword: "402", readOnly: "403", writeOnly: "404",
      type: "405", range: "405", order: "201", dependency: "201", notSet: "0", getFailure: "201" },
    messages: { "0": "No error", "101": "General exception", "201": "Invalid argument error",
      "202": "Element cannot have children", "203": "Element not an array - cannot have count",
      "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
      "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type" },
    elements: {
      "cmi.core.student_id": ["r"], "cmi.core.student_name": ["r"], "cmi.core.lesson_location": ["rw", T12.s255],
      "cmi.core.credit": ["r"], "cmi.core.lesson_status": ["rw", T12.status], "cmi.core.entry": ["r"],
      "cmi.core.score.raw": ["rw", T12.score], "cmi.core.score.min": ["rw", T12.score],
      "cmi.core.score.max": ["rw", T12.score], "cmi.core.total_time": ["r"], "cmi.core.lesson_mode": ["r"],
      "cmi.core.exit": ["w", T12.exit], "cmi.core.session_time": ["w", T12.timespan],
      "cmi.suspend_data": ["rw", T12.s4096], "cmi.launch_data": ["r"], "cmi.comments": ["rw", T12.s4096],
      "cmi.comments_from_lms": ["r"], "cmi.student_data.mastery_score": ["r"],
      "cmi.student_data.max_time_allowed": ["r"], "cmi.student_data.time_limit_action": ["r"],
      "cmi.student_preference.audio": ["rw", T12.audio], "cmi.student_preference.language": ["rw", T12.s255],
      "cmi.student_preference.speed": ["rw", T12.speed], "cmi.student_preference.text": ["rw", T12.text],
      "cmi.objectives.n.id": ["rw", T12.id], "cmi.objectives.n.score.raw": ["rw", T12.score],
      "cmi.objectives.n.score.min": ["rw", T12.score], "cmi.objectives.n.score.max": ["rw", T12.score],
      "cmi.objectives.n.status": ["rw", withNotAttempted(T12.status)],
      "cmi.interactions.n.id": ["w", T12.id], "cmi.interactions.n.objectives.n.id": ["w", T12.id],
      "cmi.interactions.n.time": ["w", T12.time], "cmi.interactions.n.type": ["w", T12.itype],
      "cmi.interactions.n.correct_responses.n.pattern": ["w", T12.s255],
      "cmi.interactions.n.weighting": ["w", T12.decimal], "cmi.interactions.n.student_response": ["w", T12.s255],
      "cmi.interactions.n.result": ["w", T12.result], "cmi.interactions.n.latency": ["w", T12.timespan]
    },
    children: {
      "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
      "cmi.core.score": "raw,min,max", "cmi.objectives": "id,score,status", "cmi.objectives.n.score": "raw,min,max",
      "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
      "cmi.student_preference": "audio,language,speed,text",
      "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
    },
    arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses"],
    dependsOnId: [],
    unsetIsError: false
  };

  var SCORM2004 = {
    errors: { general: "101", argument: "201", noChildren: "301", noCount: "301", notInitializedGet: "122",
      notInitializedSet: "132", notInitializedCommit: "142", notInitializedTerminate: "112", alreadyInitialized: "103",
      terminated: "104", terminatedGet: "123", terminatedSet: "133", terminatedCommit: "143", terminatedTerminate: "113",
      undefined: "401", keyword: "404", readOnly: "404", writeOnly: "405", type: "406", range: "407",
      order: "351", dependency: "408", notSet: "403", getFailure: "301" },
    messages: { "0": "No Error", "101": "General Exception", "102": "General Initialization Failure",
      "103": "Already Initialized", "104": "Content Instance Terminated", "111": "General Termination Failure",
      "112": "Termination Before Initialization", "113": "Termination After Termination",
      "122": "Retrieve Data Before Initialization", "123": "Retrieve Data After Termination",
      "132": "Store Data Before Initialization", "133": "Store Data After Termination",
      "142": "Commit Before Initialization", "143": "Commit After Termination", "201": "General Argument Error",
      "301": "General Get Failure", "351": "General Set Failure", "391": "General Commit Failure",
      "401": "Undefined Data Model Element", "402": "Unimplemented Data Model Element",
      "403": "Data Model Element Value Not Initialized", "404": "Data Model Element Is Read Only",
      "405": "Data Model Element Is Write Only", "406": "Data Model Element Type Mismatch",
      "407": "Data Model Element Value Out Of Range", "408": "Data Model Dependency Not Established" },
    elements: {
      "cmi._version": ["r"], "cmi.comments_from_learner.n.comment": ["rw", T2004.any],
      "cmi.comments_from_learner.n.location": ["rw", T2004.any], "cmi.comments_from_learner.n.timestamp": ["rw", T2004.time],
      "cmi.comments_from_lms.n.comment": ["r"], "cmi.comments_from_lms.n.location": ["r"],
      "cmi.comments_from_lms.n.timestamp": ["r"], "cmi.completion_status": ["rw", T2004.completion],
      "cmi.completion_threshold": ["r"], "cmi.credit": ["r"], "cmi.entry": ["r"], "cmi.exit": ["w", T2004.exit],
      "cmi.interactions.n.id": ["rw", T2004.uri], "cmi.interactions.n.type": ["rw", T2004.itype],
      "cmi.interactions.n.objectives.n.id": ["rw", T2004.uri], "cmi.interactions.n.timestamp": ["rw", T2004.time],
      "cmi.interactions.n.correct_responses.n.pattern": ["rw", T2004.any], "cmi.interactions.n.weighting": ["rw", T2004.real],
      "cmi.interactions.n.learner_response": ["rw", T2004.any], "cmi.interactions.n.result": ["rw", T2004.result],
      "cmi.interactions.n.latency": ["rw", T2004.interval], "cmi.interactions.n.description": ["rw", T2004.any],
      "cmi.launch_data": ["r"], "cmi.learner_id": ["r"], "cmi.learner_name": ["r"],
      "cmi.learner_preference.audio_level": ["rw", T2004.nonnegative], "cmi.learner_preference.language": ["rw", T2004.lang],
      "cmi.learner_preference.delivery_speed": ["rw", T2004.nonnegative],
      "cmi.learner_preference.audio_captioning": ["rw", T2004.caption], "cmi.location": ["rw", T2004.any],
      "cmi.max_time_allowed": ["r"], "cmi.mode": ["r"], "cmi.objectives.n.id": ["rw", T2004.uri],
      "cmi.objectives.n.score.scaled": ["rw", T2004.scaled], "cmi.objectives.n.score.raw": ["rw", T2004.real],
      "cmi.objectives.n.score.min": ["rw", T2004.real], "cmi.objectives.n.score.max": ["rw", T2004.real],
      "cmi.objectives.n.success_status": ["rw", T2004.success], "cmi.objectives.n.completion_status": ["rw", T2004.completion],
      "cmi.objectives.n.progress_measure": ["rw", T2004.unit], "cmi.objectives.n.description": ["rw", T2004.any],
      "cmi.progress_measure": ["rw", T2004.unit], "cmi.scaled_passing_score": ["r"],
      "cmi.score.scaled": ["rw", T2004.scaled], "cmi.score.raw": ["rw", T2004.real], "cmi.score.min": ["rw", T2004.real],
      "cmi.score.max": ["rw", T2004.real], "cmi.session_time": ["w", T2004.interval],
      "cmi.success_status": ["rw", T2004.success], "cmi.suspend_data": ["rw", T2004.any],
      "cmi.time_limit_action": ["r"], "cmi.total_time": ["r"], "adl.nav.request": ["rw", T2004.nav],
      "adl.nav.request_valid.continue": ["r"], "adl.nav.request_valid.previous": ["r"],
      "adl.data.n.id": ["r"], "adl.data.n.store": ["rw", T2004.any]
    },
    children: {
      "cmi.comments_from_learner": "comment,location,timestamp", "cmi.comments_from_lms": "comment,location,timestamp",
      "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
      "cmi.interactions.n.objectives": "id", "cmi.interactions.n.correct_responses": "pattern",
      "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
      "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
      "cmi.objectives.n.score": "scaled,raw,min,max", "cmi.score": "scaled,raw,min,max", "adl.data": "id,store"
    },
    arrays: ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions", "cmi.interactions.n.objectives",
      "cmi.interactions.n.correct_responses", "cmi.objectives", "adl.data"],
    dependsOnId: ["cmi.objectives.n", "cmi.interactions.n"],
    unsetIsError: true
  };

  // ---- one SCO session: state, error, the eight calls shared by both APIs ----
  function Session(model, initial, buckets) {
    this.model = model;
    this.values = initial;
    this.buckets = buckets || []; // SCORM 2004 4th edition shared data (adl.data.n): id, read, write
    this.counts = { "adl.data": this.buckets.length };
    this.state = "new"; // new -> running -> done
    this.error = "0";
    this.diagnostic = "";
  }
  Session.prototype.fail = function (key, why) {
    this.error = this.model.errors[key];
    this.diagnostic = why || "";
    return "false";
  };
  Session.prototype.ok = function (value) { this.error = "0"; this.diagnostic = ""; return value; };

  // adl.nav.request_valid.*: asked of the player (its sequencing) when read, never stored.
  var REQUEST_VALID = /^adl\.nav\.request_valid\.(continue|previous|choice|jump)(?:\.\{target=([^}]+)\})?$/;
  function pattern(name) { return name.replace(/\.\d+(?=\.|$)/g, ".n"); }

  Session.prototype.checkIndices = function (name, forSet) {
    // Every array index on the way must exist; a set may append exactly one element at the end.
    var parts = name.split("."), prefix = [], appended = null;
    for (var i = 0; i < parts.length; i++) {
      if (/^\d+$/.test(parts[i])) {
        var array = prefix.join("."), index = parseInt(parts[i], 10), count = this.counts[array] || 0;
        if (index > count || (index === count && (!forSet || i !== lastIndex(parts)))) {
          return { error: forSet ? "order" : "getFailure" };
        }
        if (index === count) { appended = array; }
      }
      prefix.push(parts[i]);
    }
    return { appended: appended };
  };
  function lastIndex(parts) { for (var i = parts.length - 1; i >= 0; i--) { if (/^\d+$/.test(parts[i])) { return i; } } return -1; }

  Session.prototype.keyword = function (name) {
    var base = name.replace(/\._(children|count)$/, ""), p = pattern(base);
    if (/\._children$/.test(name)) {
      return this.model.children[p] !== undefined ? this.ok(this.model.children[p]) : this.fail("noChildren", base + " has no children");
    }
    if (this.model.arrays.indexOf(p) < 0) { return this.fail("noCount", base + " is not an array"); }
    return this.ok(String(this.counts[base] || 0));
  };

  Session.prototype.get = function (name) {
    var value = this.read(name);
    return this.error === "0" ? value : "";
  };

  Session.prototype.read = function (name) {
    if (this.state !== "running") { return this.fail(this.state === "new" ? "notInitializedGet" : "terminatedGet"); }
    name = String(name === undefined || name === null ? "" : name);
    if (name === "") { return this.fail(this.model.unsetIsError ? "getFailure" : "argument", "no element named"); }
    if (/\._(children|count)$/.test(name)) { return this.keyword(name); }
    var valid = this.model.unsetIsError && REQUEST_VALID.exec(name);
    if (valid) { return this.ok(player.requestValid(valid[1], valid[2]) ? "true" : "false"); }
    var spec = this.model.elements[pattern(name)];
    if (!spec) { return this.fail("undefined", name); }
    if (spec[0] === "w" || this.bucketDenies(name, "read")) { return this.fail("writeOnly", name); }
    var where = this.checkIndices(name, false);
    if (where.error) { return this.fail(where.error, name); }
    if (this.values[name] === undefined) {
      return this.model.unsetIsError ? this.fail("notSet", name) : this.ok("");
    }
    return this.ok(this.values[name]);
  };

  Session.prototype.set = function (name, value) {
    if (this.state !== "running") { return this.fail(this.state === "new" ? "notInitializedSet" : "terminatedSet"); }
    name = String(name === undefined || name === null ? "" : name);
    value = String(value === undefined || value === null ? "" : value);
    if (/\._(children|count|version)$/.test(name)) { return this.fail("keyword", name); }
    var spec = this.model.unsetIsError && REQUEST_VALID.test(name) ? ["r"] : this.model.elements[pattern(name)];
    if (!spec) { return this.fail(name === "" ? "argument" : "undefined", name); }
    if (spec[0] === "r" || this.bucketDenies(name, "write")) { return this.fail("readOnly", name); }
    var bucket = /^adl\.data\.(\d+)\./.exec(name);
    if (bucket && parseInt(bucket[1], 10) >= this.buckets.length) { return this.fail("order", name); } // the LMS's array
    var where = this.checkIndices(name, true);
    if (where.error) { return this.fail(where.error, name); }
    var problem = this.dependency(name) || spec[1](value);
    if (problem) { return this.fail(problem, name + " = " + value); }
    if (where.appended !== null) { this.counts[where.appended] = (this.counts[where.appended] || 0) + 1; }
    this.values[name] = value;
    dirty = true;
    return this.ok("true");
  };

  // A shared data bucket the manifest lets this SCO not read (or not write): adl.data.n.store only.
  Session.prototype.bucketDenies = function (name, access) {
    var store = /^adl\.data\.(\d+)\.store$/.exec(name), bucket = store && this.buckets[parseInt(store[1], 10)];
    return !!bucket && !bucket[access];
  };

  Session.prototype.dependency = function (name) {
    // SCORM 2004: an objective's or interaction's id must be set before its other elements.
    var owner = /^(cmi\.(objectives|interactions)\.\d+)\.(.+)$/.exec(name);
    if (!owner || owner[3] === "id" || !this.model.dependsOnId.length) { return 0; }
    if (this.values[owner[1] + ".id"] === undefined) { return "dependency"; }
    if (/correct_responses/.test(owner[3]) && this.values[owner[1] + ".type"] === undefined) { return "dependency"; }
    return 0;
  };

  // ---- the server, the player and the SCO being shown ----
  var scos = config.scos, current = -1, session = null, dirty = false, queue = Promise.resolve(), sessions = {};
  var frame = document.getElementById("courseport-sco"), unloading = false;

  function payload(event) {
    return JSON.stringify({ event: event, sco: scos[current].id, session: session.number, data: session.values });
  }

  function send(event) {
    var body = payload(event);
    dirty = false;
    queue = queue.then(function () {
      return fetch(config.runtimeUrl, { method: "POST", body: body, credentials: "omit", keepalive: body.length < 60000,
        headers: { "Content-Type": "application/json" } }).then(function (answer) {
        if (!answer.ok) {
          return answer.text().then(function (text) { throw new Error("runtime commit refused: " + answer.status + " " + text); });
        }
        if (player.committed) { player.committed(event); }
      });
    }).catch(function (error) { document.body.setAttribute("data-commit-error", String(error)); });
    return queue;
  }

  function initialValues(sco) {
    var v = {};
    if (config.standard === "scorm12") {
      v["cmi.core.student_id"] = config.learner.id; v["cmi.core.student_name"] = config.learner.name;
      v["cmi.core.credit"] = "credit"; v["cmi.core.lesson_status"] = "not attempted"; v["cmi.core.entry"] = "ab-initio";
      v["cmi.core.total_time"] = "0000:00:00.00"; v["cmi.core.lesson_mode"] = "normal";
      v["cmi.launch_data"] = sco.launchData || ""; v["cmi.student_data.mastery_score"] = sco.masteryScore || "";
      v["cmi.student_preference.language"] = config.culture || "";
    } else {
      v["cmi._version"] = "1.0"; v["cmi.learner_id"] = config.learner.id; v["cmi.learner_name"] = config.learner.name;
      v["cmi.credit"] = "credit"; v["cmi.entry"] = "ab-initio"; v["cmi.mode"] = "normal"; v["cmi.total_time"] = "PT0H0M0S";
      v["cmi.completion_status"] = "unknown"; v["cmi.success_status"] = "unknown"; v["adl.nav.request"] = "_none_";
      v["cmi.learner_preference.audio_level"] = "1"; v["cmi.learner_preference.delivery_speed"] = "1";
      v["cmi.learner_preference.audio_captioning"] = "0"; v["cmi.learner_preference.language"] = config.culture || "";
      if (sco.launchData) { v["cmi.launch_data"] = sco.launchData; }
      if (sco.scaledPassingScore) { v["cmi.scaled_passing_score"] = sco.scaledPassingScore; }
      if (sco.completionThreshold) { v["cmi.completion_threshold"] = sco.completionThreshold; }
    }
    return v;
  }

  function initialize(param) {
    if (String(param === undefined ? "" : param) !== "") { return session.fail("argument", "argument must be empty"); }
    if (session.state === "running") { return session.fail("alreadyInitialized"); }
    if (session.state === "done") { return session.fail("terminated"); }
    session.state = "running";
    send("initialize");
    return session.ok("true");
  }

  function commit(param) {
    if (String(param === undefined ? "" : param) !== "") { return session.fail("argument", "argument must be empty"); }
    if (session.state !== "running") { return session.fail(session.state === "new" ? "notInitializedCommit" : "terminatedCommit"); }
    if (dirty) { send("commit"); }
    return session.ok("true");
  }

  function terminate(param) {
    if (String(param === undefined ? "" : param) !== "") { return session.fail("argument", "argument must be empty"); }
    if (session.state !== "running") { return session.fail(session.state === "new" ? "notInitializedTerminate" : "terminatedTerminate"); }
    var request = session.values["adl.nav.request"] || "_none_";
    session.state = "done"; player.left(scos[current].id, session.values);
    send("terminate");
    // While the player takes the SCO away (the learner chose), the SCO's own request gives way.
    if (!unloading) { queue.then(function () { player.terminated(request); }); }
    return session.ok("true");
  }

  var calls = {
    lastError: function () { return session.error; },
    errorString: function (code) { return session.model.messages[String(code)] || ""; },
    diagnostic: function (code) {
      var key = String(code === undefined || code === "" ? session.error : code);
      return key === session.error && session.diagnostic ? session.diagnostic : session.model.messages[key] || "";
    }
  };

  window.API = {
    LMSInitialize: initialize, LMSFinish: terminate, LMSCommit: commit,
    LMSGetValue: function (name) { return session.get(name); },
    LMSSetValue: function (name, value) { return session.set(name, value); },
    LMSGetLastError: calls.lastError, LMSGetErrorString: calls.errorString, LMSGetDiagnostic: calls.diagnostic
  };
  window.API_1484_11 = {
    Initialize: initialize, Terminate: terminate, Commit: commit,
    GetValue: function (name) { return session.get(name); },
    SetValue: function (name, value) { return session.set(name, value); },
    GetLastError: calls.lastError, GetErrorString: calls.errorString, GetDiagnostic: calls.diagnostic
  };

  function launch(index) {
    current = index;
    var sco = scos[index];
    var values = initialValues(sco), kept = (config.resume || {})[sco.id] || {};
    // A registration's earlier launches: location, suspend data, status, score, total time, entry.
    Object.keys(kept).forEach(function (name) { values[name] = kept[name]; });
    // SCORM 2004 shared data: the buckets the server's navigation answer gave for this SCO, with their values.
    var buckets = config.standard === "scorm12" ? [] : player.buckets || [];
    player.buckets = null;
    buckets.forEach(function (bucket, n) {
      values["adl.data." + n + ".id"] = bucket.id;
      if (bucket.read && bucket.store !== null && bucket.store !== undefined) { values["adl.data." + n + ".store"] = bucket.store; }
    });
    session = new Session(config.standard === "scorm12" ? SCORM12 : SCORM2004, values, buckets);
    session.number = sessions[sco.id] = (sessions[sco.id] || 0) + 1;
    dirty = false;
    document.body.setAttribute("data-state", "running");
    document.body.setAttribute("data-sco", sco.id);
    Array.prototype.forEach.call(document.querySelectorAll("[data-sco-index]"), function (link) {
      link.setAttribute("aria-current", link.getAttribute("data-sco-index") === String(index) ? "page" : "false");
    });
    frame.src = config.filesUrl + sco.href;
  }

  // Take the SCO away first (its frame to about:blank): the calls its unload handler makes reach
  // its own session and are sent before anything else starts. Resolves once they are sent.
  function unload() {
    if (current < 0 || frame.getAttribute("src") === "about:blank") { return queue; }
    unloading = true;
    return new Promise(function (resolve) {
      var timer = setTimeout(resolve, 5000);
      frame.addEventListener("load", function loaded() { frame.removeEventListener("load", loaded); clearTimeout(timer); resolve(); });
      frame.setAttribute("src", "about:blank");
    }).then(function () {
      unloading = false;
      if (session.state === "running") { session.state = "done"; player.left(scos[current].id, session.values); send("terminate"); }
      return queue;
    });
  }

  function indexOf(id) { return scos.map(function (s) { return s.id; }).indexOf(id); }

  // What scorm_navigation.js drives: it starts the first SCO and follows every request.
  var player = window.courseportRuntime = {
    config: config, idle: function () { return queue; }, unload: unload, indexOf: indexOf, current: function () { return current; },
    deliver: function (index) { return unload().then(function () { launch(index); }); },
    // Set by scorm_navigation.js: what a Terminate's request leads to, request_valid's answers, a SCO's end.
    terminated: null, requestValid: null, committed: null, left: null,
    buckets: null // the next SCO's shared data buckets (set by scorm_navigation.js from the server's answer)
  };

  // The page going away mid-session: keep what the SCO set (fetch may not finish, a beacon does).
  window.addEventListener("pagehide", function () {
    if (session && session.state === "running" && dirty && navigator.sendBeacon) {
      navigator.sendBeacon(config.runtimeUrl, payload("commit"));
      dirty = false;
    }
  });
})();
