/**
 * The OCI runtime specification (config.json of a bundle) as records, with the field names of
 * opencontainers/runtime-spec 1.2 so that the same bundle runs under Berth's native runtime, runc or crun. Absent
 * values are null and left out of the JSON.
 */
package io.berth.engine.runtime.spec;
