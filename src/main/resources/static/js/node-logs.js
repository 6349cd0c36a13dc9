// The container page's live logs: server-sent events from /node/containers/{id}/logs/stream, one line per event,
// appended to <pre class="log" data-stream="...">. The stream says "end" when the container stops.
(function () {
    'use strict';

    var MAX_LINES = 5000; // what the page keeps; older lines leave from the top

    function start() {
        var log = document.querySelector('pre.log[data-stream]');
        if (!log || !window.EventSource) {
            return;
        }
        var status = document.getElementById('log-status');
        var source = new EventSource(log.getAttribute('data-stream'));

        function say(text) {
            if (status) {
                status.textContent = text;
            }
        }

        function append(text, stderr) {
            // Follow the end only if the reader is there already: scrolling up to read stays put.
            var atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
            var line = document.createElement('span');
            line.className = stderr ? 'log-line stderr' : 'log-line';
            line.textContent = text + '\n';
            log.appendChild(line);
            while (log.childNodes.length > MAX_LINES) {
                log.removeChild(log.firstChild);
            }
            if (atEnd) {
                log.scrollTop = log.scrollHeight;
            }
        }

        source.onopen = function () { say('Following the log.'); };
        source.onmessage = function (event) { append(event.data, false); };
        source.addEventListener('stderr', function (event) { append(event.data, true); });
        source.addEventListener('end', function (event) {
            source.close(); // not reconnect: that would send the tail again
            say('The container is not running: ' + event.data + '.');
        });
        source.onerror = function () {
            // No automatic reconnect: it would start with the tail again and repeat lines already shown.
            source.close();
            say('The log stream was interrupted. Reload the page to follow it again.');
        };
        window.addEventListener('pagehide', function () { source.close(); });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
