package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * ScaleCharts draws the scale run: cold wall time by requests in flight, and heap per idle
 * connection by requests in flight, one line per client (the raw floor dashed), as PNG files.
 */
final class ScaleCharts {
    private ScaleCharts() {
    }

    /** Writes {@link ScaleSection#WALL_CHART} and {@link ScaleSection#MEMORY_CHART} into {@code dir}; returns their names. */
    static List<String> write(ScaleSection.Data d, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        if (chart(d, "cold_wall_s", "N requests at once on a new client: wall time (hold "
                + d.meta().getProperty("hold_s", "?") + " s)", "wall time (s)", false, dir.resolve(ScaleSection.WALL_CHART))) {
            files.add(ScaleSection.WALL_CHART);
        }
        if (chart(d, "idle_b_per_conn", "Heap per idle connection (after full GC)", "bytes (log scale)", true,
                dir.resolve(ScaleSection.MEMORY_CHART))) {
            files.add(ScaleSection.MEMORY_CHART);
        }
        return files;
    }

    private static boolean chart(ScaleSection.Data d, String field, String title, String yTitle, boolean logY, Path file)
            throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("requests in flight (log scale)")
                .yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setYAxisMin(logY ? null : 0.0);
        c.getStyler().setXAxisDecimalPattern("#,###");
        c.getStyler().setYAxisDecimalPattern(logY ? "#,###" : "#,##0.0");
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setMarkerSize(7);
        for (String client : d.clients()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int level : d.levels()) {
                Map<String, String> r = d.row(client, level);
                double v = ScaleSection.num(r, field);
                if (!Double.isNaN(v) && v > 0) {
                    xs.add((double) level);
                    ys.add(v);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries series = c.addSeries(client, xs, ys);
            if (client.equals("raw")) { // the floor: a dashed black line (a marker only when it is one point)
                series.setMarker(xs.size() > 1 ? SeriesMarkers.NONE : SeriesMarkers.CROSS);
                series.setMarkerColor(java.awt.Color.BLACK);
                series.setLineColor(java.awt.Color.BLACK);
                series.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        if (c.getSeriesMap().isEmpty()) {
            return false;
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
