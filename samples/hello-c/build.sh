#!/bin/sh
echo Building hello-c:build
docker build -t hello-c:build -f Dockerfile.build .

docker create --name hello-c-extract hello-c:build
docker cp hello-c-extract:/hello ./hello
docker rm -f hello-c-extract

echo Building hello-c:latest
docker build -t hello-c:latest .
rm ./hello
