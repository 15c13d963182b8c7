package io.github.reconnectingws.sample.feed;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fault switches over HTTP; every POST answers with the switches afterwards.
 * <pre>
 * POST /api/faults/drop               close every feed connection (1001)
 * POST /api/faults/down?seconds=10    drop, then answer handshakes with 503 for 10 s
 * POST /api/faults/reject?status=401  drop, then answer handshakes with 401 until restored
 * POST /api/faults/silence            hold every connection open, move no bytes
 * POST /api/faults/restore            all switches off
 * GET  /api/faults                    the switches
 * </pre>
 */
@RestController
@RequestMapping("/api/faults")
class FaultController {

    private static final int MAX_DOWN_SECONDS = 300;

    private final FeedFaults faults;

    FaultController(FeedFaults faults) {
        this.faults = faults;
    }

    @GetMapping
    FeedFaults.Snapshot faults() {
        return this.faults.snapshot();
    }

    @PostMapping("/drop")
    FeedFaults.Snapshot drop() {
        this.faults.drop();
        return this.faults.snapshot();
    }

    @PostMapping("/down")
    FeedFaults.Snapshot down(@RequestParam(defaultValue = "10") int seconds) {
        if (seconds < 1 || seconds > MAX_DOWN_SECONDS) {
            throw new IllegalArgumentException("seconds must be 1 to " + MAX_DOWN_SECONDS + ", not " + seconds);
        }
        this.faults.down(Duration.ofSeconds(seconds));
        return this.faults.snapshot();
    }

    @PostMapping("/reject")
    FeedFaults.Snapshot reject(@RequestParam(defaultValue = "401") int status) {
        this.faults.reject(status);
        return this.faults.snapshot();
    }

    @PostMapping("/silence")
    FeedFaults.Snapshot silence() {
        this.faults.silence();
        return this.faults.snapshot();
    }

    @PostMapping("/restore")
    FeedFaults.Snapshot restore() {
        this.faults.restore();
        return this.faults.snapshot();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
        return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
    }

}
