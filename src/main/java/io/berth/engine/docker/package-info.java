/**
 * The Docker Engine API's request and response bodies as records, named and ordered as moby's {@code api/swagger.yaml}
 * (API 1.47) defines them. Jackson binds them at the Engine's controllers; request bodies tolerate fields they do not
 * name, as dockerd does. Untyped JSON stays only where the API itself is free-form.
 */
package io.berth.engine.docker;
