# Build a static binary, then ship it alone in a small non-root image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/toolkit .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/toolkit /toolkit
ENV LISTEN_ADDR=0.0.0.0:8080 \
    DATA_DIR=/data \
    LOG_FORMAT=json
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/toolkit", "healthcheck"]
ENTRYPOINT ["/toolkit"]
CMD ["serve"]
