"""The voice frontend: phone calls over SIP (frontends.voice.sip) into the speech pipeline.

Only the SIP user agent server and its RTP media live here so far; the process
(`python -m frontends.voice`) and the speech pipeline come later.
"""
