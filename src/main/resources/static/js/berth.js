// Small behaviours of the web UI, bound through data attributes (the Content Security Policy admits no inline script).
(function () {
    'use strict';

    /** The CSRF header and token for scripts that post (forms carry the token as a hidden field). */
    window.berthCsrf = function () {
        var token = document.querySelector('meta[name="_csrf"]');
        var header = document.querySelector('meta[name="_csrf_header"]');
        var headers = {};
        if (token && header) {
            headers[header.content] = token.content;
        }
        return headers;
    };

    document.addEventListener('click', function (event) {
        // <button data-copy="docker pull ...">: copies the text and says so.
        var copy = event.target.closest('[data-copy]');
        if (copy) {
            navigator.clipboard.writeText(copy.getAttribute('data-copy')).then(function () {
                var label = copy.textContent;
                copy.textContent = 'Copied';
                setTimeout(function () { copy.textContent = label; }, 1500);
            });
        }
    });

    document.addEventListener('submit', function (event) {
        // <form data-confirm="Delete tag 1.0?">: nothing irreversible without a second thought.
        var message = event.target.getAttribute('data-confirm');
        if (message && !window.confirm(message)) {
            event.preventDefault();
        }
    });
})();
