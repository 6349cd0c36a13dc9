// The dashboard's charts: GET /dashboard/series every sample interval, one uPlot chart per card (series sharing a
// card share its axes), and the latest value of each series as text beside it (the charts' text alternative).
(function () {
    'use strict';

    var COLOURS = ['#0a5fc2', '#b42318', '#1a7f37', '#9a6700'];
    var BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

    /** As the page writes values (Readings.java): three significant digits, bytes in kB, MB, ... */
    function format(value, unit) {
        if (value === null || value === undefined) {
            return '–';
        }
        if (unit.charAt(0) === 'B') {
            var index = 0;
            while (Math.abs(value) >= 1000 && index < BYTE_UNITS.length - 1) {
                value /= 1000;
                index++;
            }
            return number(value) + ' ' + BYTE_UNITS[index] + unit.substring(1);
        }
        return unit === '' || unit.charAt(0) === '/' ? number(value) + unit : number(value) + ' ' + unit;
    }

    function number(value) {
        return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
    }

    /** uPlot wants one x array and one y array per series, aligned: the union of the times, null where a series has none. */
    function align(seriesList) {
        var times = {};
        seriesList.forEach(function (series) {
            series.points.forEach(function (point) { times[point[0]] = true; });
        });
        var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
        var data = [xs];
        seriesList.forEach(function (series) {
            var byTime = {};
            series.points.forEach(function (point) { byTime[point[0]] = point[1]; });
            data.push(xs.map(function (x) { return x in byTime ? byTime[x] : null; }));
        });
        return data;
    }

    function start() {
        var root = document.getElementById('dashboard');
        if (!root || !window.uPlot || !window.fetch) {
            return;
        }
        var url = root.getAttribute('data-series');
        var interval = Math.max(1, Number(root.getAttribute('data-interval')) || 10);
        var plots = {};

        function draw(answer) {
            var byChart = {};
            answer.series.forEach(function (series) {
                (byChart[series.chart] = byChart[series.chart] || []).push(series);
                var latest = root.querySelector('[data-latest="' + series.name + '"]');
                if (latest) {
                    var last = series.points.length ? series.points[series.points.length - 1][1] : null;
                    latest.textContent = last === null ? 'no data yet' : format(last, series.unit);
                }
            });
            Array.prototype.forEach.call(root.querySelectorAll('[data-chart]'), function (card) {
                var seriesList = byChart[card.getAttribute('data-chart')] || [];
                var target = card.querySelector('.chart');
                var data = align(seriesList);
                var plot = plots[card.getAttribute('data-chart')];
                if (plot) {
                    plot.setData(data);
                    return;
                }
                var unit = seriesList.length ? seriesList[0].unit : '';
                plots[card.getAttribute('data-chart')] = new uPlot({
                    width: Math.max(240, target.clientWidth),
                    height: 180,
                    legend: { show: true },
                    series: [{}].concat(seriesList.map(function (series, i) {
                        return {
                            label: series.label,
                            stroke: COLOURS[i % COLOURS.length],
                            width: 2,
                            value: function (u, v) { return format(v, series.unit); }
                        };
                    })),
                    axes: [{}, { size: 70, values: function (u, ticks) {
                        return ticks.map(function (t) { return format(t, unit); });
                    } }]
                }, data, target);
            });
        }

        function refresh() {
            fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error('HTTP ' + response.status);
                    }
                    return response.json();
                })
                .then(draw)
                .catch(function () {
                    // Signed out, or the server is away: the next refresh tries again; the text values stay.
                });
        }

        window.addEventListener('resize', function () {
            Object.keys(plots).forEach(function (chart) {
                var card = root.querySelector('[data-chart="' + CSS.escape(chart) + '"] .chart');
                if (card) {
                    plots[chart].setSize({ width: Math.max(240, card.clientWidth), height: 180 });
                }
            });
        });

        refresh();
        setInterval(refresh, interval * 1000);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
